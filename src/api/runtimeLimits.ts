// What the runtime allows one buffer to hold, the ceiling of maxBufferBytes. Node says it;
// browsers do not (runtimeLimits.browser.ts, mapped by package.json "browser").
import { constants as bufferConstants } from 'node:buffer';

/** The longest Uint8Array this runtime can make: 4 GiB on Node 20. */
export const MAX_RUNTIME_BUFFER_BYTES: number = bufferConstants.MAX_LENGTH;
