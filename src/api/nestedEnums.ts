// OpenVDS nests AccessMode in VolumeDataAccessManager and VolumeDataPageAccessor
// (`VolumeDataAccessManager.AccessMode.AccessMode_ReadOnly`); rxvds's enum is top-level. The
// aliases are attached here, beside the classes rather than inside them, and typed by merging.
import { VolumeDataAccessManager } from './accessManager.js';
import { AccessMode } from '../model/enums.js';
import { VolumeDataPageAccessor } from './pageAccessor.js';

declare module './accessManager.js' {
  namespace VolumeDataAccessManager {
    const AccessMode: typeof import('../model/enums.js').AccessMode;
  }
}

declare module './pageAccessor.js' {
  namespace VolumeDataPageAccessor {
    const AccessMode: typeof import('../model/enums.js').AccessMode;
  }
}

for (const owner of [VolumeDataAccessManager, VolumeDataPageAccessor]) {
  Object.defineProperty(owner, 'AccessMode', { value: AccessMode, enumerable: true });
}
