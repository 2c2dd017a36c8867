# Reads the box [MIN, MAX) of channel 0 at LOD 0 of a folder dataset with the reference OpenVDS build
# (localdir://) in FORMAT (R32 or U8) and prints it as a JSON list, dimension 0 fastest.
# Usage: openvdsReadBox.py DATASET MIN MAX FORMAT   (MIN/MAX: comma-separated voxel coordinates)
import json
import sys
import numpy as np
import openvds

path, lo, hi, fmt = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
pad = lambda text, fill: tuple(int(v) for v in text.split(',')) + (fill,) * (6 - len(text.split(',')))
handle = openvds.open('localdir://' + path, '')
request = openvds.getAccessManager(handle).requestVolumeSubset(pad(lo, 0), pad(hi, 1),
                                                               format=getattr(openvds.VolumeDataChannelDescriptor.Format, 'Format_' + fmt))
if not request.waitForCompletion():
    sys.exit('OpenVDS request failed: ' + request.errorMessage)
print(json.dumps(np.asarray(request.data).reshape(-1).tolist()))
openvds.close(handle)
