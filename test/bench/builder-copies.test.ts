import { describe, expect, it } from 'vitest';
import { builderCopiesLost } from '../../bench/builder-copies.js';
import { parse } from '../../src/core/document.js';

const noDirectories = () => false;

const split = (builder: string[], runtime: string[]) =>
  parse(
    [
      'FROM python:3.12-slim-trixie AS builder',
      'WORKDIR /code',
      ...builder,
      '',
      'FROM python:3.12-slim-trixie',
      'WORKDIR /code',
      'COPY --from=builder /code /code',
      ...runtime,
      'CMD ["scrapyd"]',
      '',
    ].join('\n'),
  );

describe('builderCopiesLost', () => {
  it('counts a file copied into a system directory as received when the runtime copies that file', () => {
    const out = split(
      ['ADD . /code', 'COPY ./scrapyd.conf /etc/scrapyd/'],
      ['COPY --from=builder /etc/scrapyd/scrapyd.conf /etc/scrapyd/scrapyd.conf'],
    );
    expect(builderCopiesLost(out, noDirectories)).toEqual([]);
  });

  it('reports the file when the runtime does not copy it', () => {
    const out = split(['ADD . /code', 'COPY ./scrapyd.conf /etc/scrapyd/'], []);
    expect(builderCopiesLost(out, noDirectories)).toEqual(['/etc/scrapyd/scrapyd.conf']);
  });

  it('reports a directory copied into the builder when the runtime receives only one file of it', () => {
    const out = split(
      ['COPY conf /etc/scrapyd/'],
      ['COPY --from=builder /etc/scrapyd/conf /etc/scrapyd/conf'],
    );
    expect(builderCopiesLost(out, (s) => s === 'conf')).toEqual(['/etc/scrapyd']);
  });

  it('leaves out build inputs, scratch places and files the builder deletes again', () => {
    const out = split(
      [
        'COPY requirements.txt /opt/reqs/',
        'COPY seed.sql /tmp/',
        'COPY install.sh /install.sh',
        'RUN sh /install.sh && rm /install.sh',
      ],
      [],
    );
    expect(builderCopiesLost(out, noDirectories)).toEqual([]);
  });

  it('counts what lands in the app directory as received with it', () => {
    const out = split(['COPY . .', 'COPY settings.ini /code/conf/'], []);
    expect(builderCopiesLost(out, noDirectories)).toEqual([]);
  });
});
