// Paths of the shared OpenVDS and SEG-Y test vectors, read in place (never copied).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sharedRoot = process.env.RXVDS_SHARED ?? resolve(projectRoot, '..', 'shared');

export const openvdsVector = (name: string): string => resolve(sharedRoot, 'testdata', 'openvds', name);
export const segyFile = (name: string): string => resolve(sharedRoot, 'testdata', 'segy', name);

export function readVector(name: string): Uint8Array {
  return new Uint8Array(readFileSync(openvdsVector(name)));
}

export function sha256(bytes: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest('hex');
}
