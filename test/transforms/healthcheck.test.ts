import transform from '../../transforms/healthcheck.js';
import { transformTable } from '../helpers/transform-table.js';

const F = 'FROM python:3.12-slim\n';
const CHECK = (
  port: number,
  code = `import socket; socket.create_connection(('127.0.0.1', ${port}), 4).close()`,
  indent = '    ',
  eol = '\n',
) =>
  `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\${eol}${indent}CMD ["python", "-c", ${JSON.stringify(code)}]${eol}`;

transformTable(transform, {
  valid: [
    { name: 'HEALTHCHECK NONE', input: `${F}EXPOSE 8000\nHEALTHCHECK NONE\nCMD ["app"]\n` },
    { name: 'no known port', input: `${F}CMD ["app", "--port", "$PORT"]\n` },
    { name: 'an image without Python', input: 'FROM ubuntu:24.04\nEXPOSE 8000\nCMD ["app"]\n' },
    {
      name: 'turned off',
      input: `${F}EXPOSE 8000\nCMD ["app"]\n`,
      options: { healthcheck: false },
    },
    {
      name: 'curl installed in the runtime',
      input: `${F}RUN apt-get install -y curl\nHEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\nCMD ["app"]\n`,
    },
    { name: 'already a Python check', input: `${F}EXPOSE 8000\n${CHECK(8000)}CMD ["app"]\n` },
    {
      name: 'a curl check written as an array that is not JSON (what it runs is unclear)',
      input: `${F}HEALTHCHECK CMD ["curl", "-f", "http://localhost:8000/",]\nCMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      name: 'port from EXPOSE, before CMD and its comment',
      input: `${F}EXPOSE 8000/tcp\n# start\nCMD ["app"]\n`,
      output: `${F}EXPOSE 8000/tcp\n${CHECK(8000)}# start\nCMD ["app"]\n`,
    },
    {
      name: 'port from --port',
      input: `${F}CMD ["uvicorn", "app:app", "--port", "8080"]\n`,
      output: `${F}${CHECK(8080)}CMD ["uvicorn", "app:app", "--port", "8080"]\n`,
    },
    {
      name: 'port from --bind, before the ENTRYPOINT',
      input: `${F}ENTRYPOINT ["gunicorn"]\nCMD ["--bind", "0.0.0.0:5000", "app:app"]\n`,
      output: `${F}${CHECK(5000)}ENTRYPOINT ["gunicorn"]\nCMD ["--bind", "0.0.0.0:5000", "app:app"]\n`,
    },
    {
      name: 'an HTTP path',
      input: `${F}EXPOSE 8000\nCMD ["app"]\n`,
      options: { healthPath: '/healthz' },
      output: `${F}EXPOSE 8000\n${CHECK(8000, "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)")}CMD ["app"]\n`,
    },
    {
      name: 'streamlit health endpoint',
      input: `${F}CMD streamlit run app.py --server.port 8501\n`,
      output: `${F}${CHECK(8501, "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)")}CMD streamlit run app.py --server.port 8501\n`,
    },
    {
      name: "the file's indent and CRLF",
      input: 'FROM python:3.12-slim\r\nRUN a \\\r\n  b\r\nEXPOSE 80\r\nCMD ["app"]',
      output: `FROM python:3.12-slim\r\nRUN a \\\r\n  b\r\nEXPOSE 80\r\n${CHECK(80, undefined, '  ', '\r\n')}CMD ["app"]`,
    },
    {
      name: 'curl check rewritten with urllib, options kept',
      input: `${F}HEALTHCHECK --interval=15s CMD curl -f http://localhost:8000/health || exit 1\nCMD ["app"]\n`,
      output: `${F}HEALTHCHECK --interval=15s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health', timeout=4)"]\nCMD ["app"]\n`,
    },
    {
      name: 'wget check in exec form',
      input: `${F}HEALTHCHECK CMD ["wget", "-q", "--spider", "http://127.0.0.1:9000/ping"]\nCMD ["app"]\n`,
      output: `${F}HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9000/ping', timeout=4)"]\nCMD ["app"]\n`,
    },
    {
      name: 'curl check in an array run by the shell (CMD-SHELL)',
      input: `${F}HEALTHCHECK CMD ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"]\nCMD ["app"]\n`,
      output: `${F}HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health', timeout=4)"]\nCMD ["app"]\n`,
    },
    {
      name: 'curl with a variable URL',
      input: `${F}HEALTHCHECK CMD curl -f http://localhost:$PORT/ || exit 1\nCMD ["app"]\n`,
      output: null,
      messages: [/not a plain literal/],
    },
  ],
});
