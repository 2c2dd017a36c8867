// Browsers do not tell how long a buffer may be; V8 (Chromium) makes typed arrays up to 4 GiB
// long and others less, and an allocation beyond a browser's own limit throws a RangeError.
import type * as node from './runtimeLimits.js';

export const MAX_RUNTIME_BUFFER_BYTES: number = 2 ** 32;

({ MAX_RUNTIME_BUFFER_BYTES }) satisfies typeof node;
