// Credentials in URLs and connection strings never reach a message: the redact module, and the
// API's errors for URLs that carry them.
import { expect } from 'chai';
import {
  connectionStringSecrets, redactConnectionString, redactSecrets, redactUrl, scrub, urlSecrets,
} from '../sources/stores/redact.js';
import { storeFailure } from '../sources/stores/storeErrors.js';
import { parseConnectionString } from '../sources/stores/connectionString.js';
import { InvalidArgumentError, ReadError, StoreError } from '../src/model/errors.js';
import * as vds from '../src/index.js';
import { rejection } from './support/rejection.js';

describe('redact', () => {
  it('drops URL userinfo and the values of credential parameters, keeping the rest', () => {
    expect(redactUrl('http://user:PASS@host:8080/ds/a?x=1#top')).to.equal('http://***@host:8080/ds/a?x=1#top');
    expect(redactUrl('https://token@github.example/ds')).to.equal('https://***@github.example/ds');
    expect(redactUrl('http://u:p@ss@host/ds')).to.equal('http://***@host/ds');
    expect(redactUrl('https://acct.blob.core.windows.net/c/ds?sv=2024-01-01&sp=r&sig=abc%2Bdef%3D')).to.equal(
      'https://acct.blob.core.windows.net/c/ds?sv=2024-01-01&sp=r&sig=***');
    expect(redactUrl('https://b.s3.amazonaws.com/ds?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Date=20261207T000000Z' +
      '&X-Amz-Expires=900&X-Amz-Security-Token=FwoG&X-Amz-Signature=5d67')).to.equal(
      'https://b.s3.amazonaws.com/ds?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Date=20261207T000000Z' +
      '&X-Amz-Expires=900&X-Amz-Security-Token=***&X-Amz-Signature=***');
    expect(redactUrl('https://h/ds?token=t1&code=c2&api_key=k3&access_token=a4&page=2')).to.equal(
      'https://h/ds?token=***&code=***&api_key=***&access_token=***&page=2');
    expect(redactUrl('https://h/cb#access_token=a4&state=s')).to.equal('https://h/cb#access_token=***&state=s');
    expect(redactUrl('/data/surveys/f3')).to.equal('/data/surveys/f3');
    expect(redactUrl('s3://bucket/prefix')).to.equal('s3://bucket/prefix');
  });

  it('keeps only the public values of a connection string', () => {
    expect(redactConnectionString('Region=eu-north-1;AccessKeyId=AKIA;SecretKey=wJalr;SessionToken=FwoG;EndpointOverride=http://u:p@minio:9000'))
      .to.equal('Region=eu-north-1;AccessKeyId=***;SecretKey=***;SessionToken=***;EndpointOverride=http://***@minio:9000');
    expect(redactConnectionString('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9v==;EndpointSuffix=core.windows.net'))
      .to.equal('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;EndpointSuffix=core.windows.net');
    expect(redactConnectionString('AccountName=a;SasToken=sv=1&sig=x;Suffix=?sig=y;Unknown=z;tail')).to.equal(
      'AccountName=a;SasToken=***;Suffix=***;Unknown=***;***');
  });

  it('redacts URLs and secret pairs inside free text, leaving punctuation and plain words', () => {
    expect(redactSecrets('Cannot open http://u:PASS@h/ds?sig=S1: HTTP 403. Also https://h2/x?X-Amz-Signature=S2, done'))
      .to.equal('Cannot open http://***@h/ds?sig=***: HTTP 403. Also https://h2/x?X-Amz-Signature=***, done');
    expect(redactSecrets('bad AccountKey=Zm9v; SharedAccessSignature=sv=1 and SecretKey = abc')).to.equal(
      'bad AccountKey=***; SharedAccessSignature=*** and SecretKey = ***');
    expect(redactSecrets('Invalid key "colour" in S3 connection string.')).to.equal('Invalid key "colour" in S3 connection string.');
  });

  it('lists the secret substrings of URLs and connection strings for scrubbing', () => {
    expect(urlSecrets('http://user:PASS@h/ds?sig=a%2Bb&sv=1')).to.deep.equal(['user:PASS', 'PASS', 'a%2Bb', 'a+b']);
    expect(urlSecrets('/local/path')).to.deep.equal([]);
    expect(connectionStringSecrets('Region=x;AccessKeyId=AKIA;wJalr;EndpointOverride=http://u:p@h')).to.deep.equal(['AKIA', 'wJalr', 'u:p', 'p']);
    expect(scrub('key wJalr/XYZ and wJalr%2FXYZ, abc', ['wJalr/XYZ', 'abc'])).to.equal('key *** and ***, abc');
  });

  it('a connection-string part without "=" is never quoted', () => {
    let error: Error | undefined;
    try {
      parseConnectionString('AccessKeyId=AKIAEXAMPLE;wJalrXUtnFEMI/K7MDENG');
    } catch (e) {
      error = e as Error;
    }
    expect(error).to.be.instanceOf(InvalidArgumentError);
    expect(error!.message).to.equal('Missing required = sign in part 2 of the connection string "AccessKeyId=***;***". ' +
      'Every key has to have a = sign next to it.');
  });

  it('store failures quote no URL credentials, even from the client\'s own message', () => {
    const error = storeFailure(Object.assign(new Error('GET http://u:PASS@h/ds/VolumeDataLayout?sig=S1 failed'), { statusCode: 403 }),
      'read', 'VolumeDataLayout in http://h/ds', ['S1'], undefined);
    expect(error).to.be.instanceOf(StoreError);
    expect(error.message).to.equal('Cannot read VolumeDataLayout in http://h/ds: HTTP 403 GET http://***@h/ds/VolumeDataLayout?sig=*** failed');
    expect(((error as StoreError).cause as Error).message).not.to.contain('PASS');
  });
});

describe('API errors for URLs with credentials', () => {
  it('open, create and unknown schemes name the URL without its password or signature', async () => {
    const opened = await rejection(vds.open('http://reader:PASSw0rd@127.0.0.1:9/ds?sig=SIGsecret&sv=1'));
    expect(opened).to.be.instanceOf(ReadError);
    expect(opened.message).to.match(/^Cannot open http:\/\/\*\*\*@127\.0\.0\.1:9\/ds\?sig=\*\*\*&sv=1: /);
    expect(opened.message).not.to.match(/PASSw0rd|SIGsecret/);
    expect(() => vds.openStore('ftp://reader:PASSw0rd@host/ds')).to.throw(InvalidArgumentError, 'Unknown URL scheme "ftp" in ftp://***@host/ds');
  });
});
