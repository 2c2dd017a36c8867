// The chunk-metadata record travels as user metadata whose header name depends on the service
// (x-amz-meta-, x-goog-meta-, x-ms-meta-...); readers accept any name ending with
// `vdschunkmetadata`, and the legacy `VDS-Chunk-Metadata`.

export const CHUNK_METADATA_KEY = 'vdschunkmetadata';
const LEGACY_SUFFIX = 'vds-chunk-metadata';

/** `{ vdschunkmetadata }` from response headers or SDK metadata maps, or `undefined` without it. */
export function chunkMetadataFrom(headers: Record<string, string | string[] | undefined> | undefined): Record<string, string> | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (value === undefined || !(lower.endsWith(CHUNK_METADATA_KEY) || lower.endsWith(LEGACY_SUFFIX))) continue;
    return { [CHUNK_METADATA_KEY]: Array.isArray(value) ? value[0]! : value };
  }
  return undefined;
}

/** `Content-Disposition` of an upload, as OpenVDS writes it (cosmetic: `<layer>_<chunk>`). */
export function contentDisposition(key: string): string {
  return `attachment; filename="${key.split('/').join('_')}"`;
}

export function contentTypeOf(key: string, given?: string): string {
  return given ?? (key === 'VolumeDataLayout' || key === 'LayerStatus' ? 'application/json' : 'application/octet-stream');
}
