# Reads the whole LOD 0 volume of a folder dataset with the reference OpenVDS build (localdir://)
# and writes it as raw little-endian float32, dimension 0 fastest.
# Usage: openvdsRead.py DATASET OUT [ADAPTIVE_TOLERANCE]
import sys
import numpy as np
import openvds

path, out = sys.argv[1], sys.argv[2]
url = 'localdir://' + path
handle = openvds.openWithAdaptiveCompressionTolerance(url, '', float(sys.argv[3])) if len(sys.argv) > 3 else openvds.open(url, '')
layout = openvds.getLayout(handle)
size = [layout.getDimensionNumSamples(d) for d in range(layout.getDimensionality())]
manager = openvds.getAccessManager(handle)
request = manager.requestVolumeSubset((0, 0, 0, 0, 0, 0), tuple(size) + (1,) * (6 - len(size)),
                                      format=openvds.VolumeDataChannelDescriptor.Format.Format_R32)
if not request.waitForCompletion():
    sys.exit('OpenVDS request failed')
np.asarray(request.data, dtype='<f4').tofile(out)
openvds.close(handle)
