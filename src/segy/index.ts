// SEG-Y support: reading, scanning, geometry, import to and export from datasets.
export * from './amplitudeFormat.js';
export * from './binaryHeader.js';
export * from './exportSegy.js';
export * from './geometry.js';
export * from './headerField.js';
export * from './importSegy.js';
export * from './sampleFormat.js';
export * from './scan.js';
export * from './segyFile.js';
export * from './surveyCoordinates.js';
export * from './textHeader.js';
export * from './valueRange.js';
