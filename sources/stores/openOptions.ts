// OpenVDS's OpenOptions classes (OpenVDS.h): one per storage service, with the C++ fields in
// camelCase and the C++ constructors' positional order, so `open(new AWSOpenOptions(bucket, key,
// region))` reads as it does in OpenVDS. `sources/openStore.ts` turns them into stores.
import { LogLevel } from '../../src/model/enums.js';

/** How the wavelet adaptive level of wavelet-compressed layers is chosen (OpenVDS's WaveletAdaptiveMode). */
export enum WaveletAdaptiveMode {
  BestQuality = 0,
  Tolerance = 1,
  Ratio = 2,
}

/** Values equal OpenVDS's `OpenOptions::ConnectionType`. */
export enum ConnectionType {
  AWS = 0, Azure, AzureSdkForCpp, AzurePresigned, GoogleStorage, DMS, Http, VDSFile, InMemory, Other,
}

/** The options every service shares. Not constructed directly: use one of the subclasses. */
export abstract class OpenOptions {
  static readonly ConnectionType = ConnectionType;

  waveletAdaptiveMode = WaveletAdaptiveMode.BestQuality;
  /** Used when `waveletAdaptiveMode` is Tolerance. */
  waveletAdaptiveTolerance = 0.01;
  /** Used when `waveletAdaptiveMode` is Ratio (uncompressed size / compressed size). */
  waveletAdaptiveRatio = 1;
  /** −1: rxvds's process-wide worker pool (sized by RXVDS_WORKERS); other values are refused on open. */
  requestThreadCount = -1;
  /** rxvds writes no log (errors are thrown), so only LogLevel.None is accepted on open. */
  logLevel = LogLevel.None;

  protected constructor(readonly connectionType: ConnectionType) {}
}

export class AWSOpenOptions extends OpenOptions {
  accessKeyId = '';
  secretKey = '';
  sessionToken = '';
  /** ISO 8601 time at which the session credentials expire ('' = never). */
  expiration = '';

  constructor(
    public bucket = '',
    /** The prefix of the dataset's objects inside the bucket. */
    public key = '',
    public region = '',
    public endpointOverride = '',
    public connectionTimeoutMs = 3000,
    public requestTimeoutMs = 6000,
    public disableInitApi = false,
  ) {
    super(ConnectionType.AWS);
  }
}

export class AzureOpenOptions extends OpenOptions {
  accountName = '';
  bearerToken = '';

  constructor(
    /** An Azure Storage connection string (AccountName=…;AccountKey=… or a SAS one). */
    public connectionString = '',
    public container = '',
    /** The prefix of the dataset's blobs inside the container. */
    public blob = '',
    public parallelismFactor = 4,
    /** Milliseconds one request may take. */
    public maxExecutionTime = 100000,
  ) {
    super(ConnectionType.Azure);
  }

  // The Python binding keeps the C++ spellings of these two.
  get parallelism_factor(): number { return this.parallelismFactor; }
  set parallelism_factor(value: number) { this.parallelismFactor = value; }
  get max_execution_time(): number { return this.maxExecutionTime; }
  set max_execution_time(value: number) { this.maxExecutionTime = value; }

  /** Options authorized by an OAuth bearer token instead of a connection string. */
  static azureOpenOptionsBearer(accountName: string, bearerToken: string, container: string, blob: string): AzureOpenOptions {
    const options = new AzureOpenOptions('', container, blob);
    options.accountName = accountName;
    options.bearerToken = bearerToken;
    return options;
  }
}

export class AzurePresignedOpenOptions extends OpenOptions {
  constructor(
    /** `https://account.blob.core.windows.net/container/prefix`. */
    public baseUrl = '',
    /** Appended to every blob URL: the SAS query (`?sv=…&sig=…`). */
    public urlSuffix = '',
  ) {
    super(ConnectionType.AzurePresigned);
  }
}

/** Bit values equal OpenVDS's `GoogleOpenOptions::CredentialsType`. */
export enum GoogleCredentialsType {
  Default = 0x0000,
  AccessToken = 0x0001,
  Path = 0x0002,
  Json = 0x0003,
  SignedUrl = 0x0010,
  SignedUrlPath = 0x0012,
  SignedUrlJson = 0x0013,
}

/** The credential forms of OpenVDS's GoogleOpenOptions constructors. */
export class GoogleCredentialsToken { constructor(readonly token: string) {} }
export class GoogleCredentialsPath { constructor(readonly path: string) {} }
export class GoogleCredentialsJson { constructor(readonly json: string) {} }
export class GoogleCredentialsSignedUrl { constructor(readonly region: string) {} }
export class GoogleCredentialsSignedUrlPath { constructor(readonly region: string, readonly path: string) {} }
export class GoogleCredentialsSignedUrlJson { constructor(readonly region: string, readonly json: string) {} }

export type GoogleCredentials =
  | GoogleCredentialsToken | GoogleCredentialsPath | GoogleCredentialsJson
  | GoogleCredentialsSignedUrl | GoogleCredentialsSignedUrlPath | GoogleCredentialsSignedUrlJson;

export class GoogleOpenOptions extends OpenOptions {
  static readonly CredentialsType = GoogleCredentialsType;

  credentialsType = GoogleCredentialsType.Default;
  /** The token, credentials file path or JSON, by `credentialsType`. */
  credentials = '';
  storageClass = '';
  region = '';

  constructor(public bucket = '', public pathPrefix = '', credentials?: GoogleCredentials) {
    super(ConnectionType.GoogleStorage);
    if (credentials instanceof GoogleCredentialsToken) this.use(GoogleCredentialsType.AccessToken, credentials.token);
    else if (credentials instanceof GoogleCredentialsPath) this.use(GoogleCredentialsType.Path, credentials.path);
    else if (credentials instanceof GoogleCredentialsJson) this.use(GoogleCredentialsType.Json, credentials.json);
    else if (credentials instanceof GoogleCredentialsSignedUrl) this.use(GoogleCredentialsType.SignedUrl, '', credentials.region);
    else if (credentials instanceof GoogleCredentialsSignedUrlPath) this.use(GoogleCredentialsType.SignedUrlPath, credentials.path, credentials.region);
    else if (credentials instanceof GoogleCredentialsSignedUrlJson) this.use(GoogleCredentialsType.SignedUrlJson, credentials.json, credentials.region);
  }

  /** Switches to signed URLs (as OpenVDS's SetSignedUrl); false for an access token, which cannot sign. */
  setSignedUrl(): boolean {
    if (this.credentialsType === GoogleCredentialsType.AccessToken) return false;
    this.credentialsType |= GoogleCredentialsType.SignedUrl;
    return true;
  }

  private use(type: GoogleCredentialsType, credentials: string, region = ''): void {
    this.credentialsType = type;
    this.credentials = credentials;
    this.region = region;
  }
}

/**
 * OSDU Seismic DMS (`sd://`, sources/stores/seismicDmsStore.ts). `datasetPath` is the sd:// URL;
 * the token is `sdToken`, or one got from `authTokenUrl` with `clientId` and `refreshToken` or
 * `clientSecret` (and `scopes`). `httpProxy` and `useFileNameForSingleFileDatasets` are refused.
 */
export class DMSOpenOptions extends OpenOptions {
  constructor(
    public sdAuthorityUrl = '',
    public sdApiKey = '',
    public sdToken = '',
    public datasetPath = '',
    public authTokenUrl = '',
    public refreshToken = '',
    public clientId = '',
    public clientSecret = '',
    public scopes = '',
    public useFileNameForSingleFileDatasets = false,
    public legalTag = '',
    public httpProxy = '',
  ) {
    super(ConnectionType.DMS);
  }
}

export class HttpOpenOptions extends OpenOptions {
  constructor(public url = '') {
    super(ConnectionType.Http);
  }
}

/** A process-wide in-memory dataset, shared by name (as `inmemory://name`). */
export class InMemoryOpenOptions extends OpenOptions {
  constructor(public name = '') {
    super(ConnectionType.InMemory);
  }
}

export class VDSFileOpenOptions extends OpenOptions {
  constructor(public fileName = '') {
    super(ConnectionType.VDSFile);
  }
}
