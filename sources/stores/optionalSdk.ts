// The cloud SDKs are optional peer dependencies: a user of local files neither installs nor loads
// them, and importing any store (rxvds/stores included) loads none. A store loads its SDK when it
// is constructed, synchronously (so openStore stays synchronous), and without it says what to install.
import { createRequire } from 'node:module';
import { InvalidOperationError } from '../../src/model/errors.js';

const requireModule = createRequire(import.meta.url);

/** `schemes` names the URLs that need the package, for the message when it is missing. */
function optionalSdk<T>(sdk: string, schemes: string): T {
  try {
    return requireModule(sdk) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${sdk}'`)) {
      throw new InvalidOperationError(`${schemes} datasets need the optional package ${sdk}, which is not installed: run "npm install ${sdk}" next to rxvds`);
    }
    throw error;
  }
}

export const awsSdk = () => optionalSdk<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3', 's3:// and gs://');
export const azureSdk = () => optionalSdk<typeof import('@azure/storage-blob')>('@azure/storage-blob', 'azure://, az:// and azuresas://');
