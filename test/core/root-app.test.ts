import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { rootApp } from '../../src/core/root-app.js';

const at = (text: string) => {
  const doc = parse(text);
  const r = rootApp(doc);
  return r.kind === 'move'
    ? `move before ${doc.logical(r.at.start, r.at.end)}`
    : r.kind === 'kept'
      ? `kept: ${r.why}`
      : 'none';
};
const F = 'FROM python:3.12-slim\n';
const CMD = 'CMD ["gunicorn", "wsgi:app"]\n';

describe('rootApp: an app that lives in /', () => {
  it('moves before the first copy from the context, else before the first install', () => {
    expect(
      at(`${F}RUN pip install -U pip\nCOPY . .\nRUN pip install -r requirements.txt\n${CMD}`),
    ).toBe('move before COPY . .');
    expect(at(`${F}RUN uv pip install --system flask\n${CMD}`)).toBe(
      'move before RUN uv pip install --system flask',
    );
  });
  it('is none with a WORKDIR, no install, no start command, or another image', () => {
    expect(at(`${F}WORKDIR /srv\nCOPY . .\nRUN pip install flask\n${CMD}`)).toBe('none');
    expect(at(`${F}COPY . .\nRUN pip install -U pip\n${CMD}`)).toBe('none');
    expect(at(`${F}COPY . .\nRUN pip install flask\n`)).toBe('none');
    expect(at(`FROM debian:12\nCOPY . .\nRUN pip install flask\n${CMD}`)).toBe('none');
  });
  it('follows the one directory every copy writes to by absolute path, when the start names it', () => {
    const doc = parse(
      `${F}COPY ./src /src\nCOPY requirements.txt /src/\nRUN pip install -r /src/requirements.txt\nCMD /src/run.sh\n`,
    );
    expect(rootApp(doc)).toMatchObject({
      kind: 'move',
      dir: '/src',
      follow: [],
      copiedThere: true,
    });
    expect(
      at(
        `${F}COPY . /code\nRUN pip install -r /code/requirements.txt\nCMD ["python", "/code/main.py"]\n`,
      ),
    ).toBe('move before COPY . /code');
    expect(at(`${F}COPY . /code\nRUN pip install flask\n${CMD}`)).toMatch(
      /kept: .*the start command does not name \/code/,
    );
    expect(
      at(
        `${F}COPY . /code\nCOPY conf /etc/app\nRUN pip install flask\nCMD ["python", "/code/main.py"]\n`,
      ),
    ).toMatch(/kept: .*\/code and \/etc: no one directory holds the app/);
  });
  it('keeps files named at the root, but not system paths or URLs', () => {
    expect(at(`${F}COPY . .\nRUN pip install flask\nCMD ["python", "/code/main.py"]\n`)).toMatch(
      /CMD names \/code at the root/,
    );
    expect(
      at(
        `${F}COPY . .\nRUN pip install flask && curl -o /tmp/x https://example.com/a/b\nENV PATH=/usr/local/bin:$PATH\n${CMD}`,
      ),
    ).toBe('move before COPY . .');
  });
});
