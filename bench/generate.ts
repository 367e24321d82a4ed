/**
 * Varied legacy uv projects for the benchmark: a seeded generator, so every run measures the
 * same 5,000 files. Each project is a Dockerfile plus the context files the CLI reads.
 */

export interface GeneratedProject {
  dir: string;
  files: Record<string, string>;
}

/** Small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASES = [
  'python:latest',
  'python:3',
  'python:3.11',
  'python:3.12-slim',
  'python:3.11-slim-bookworm',
  'python:3.13-alpine',
];
const INSTALLS = [
  'RUN pip install uv',
  'RUN pip install --no-cache-dir uv',
  'RUN curl -LsSf https://astral.sh/uv/install.sh | sh\nENV PATH="/root/.local/bin:$PATH"',
  'COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/',
];
const SERVERS = [
  (port: number) => `uvicorn app.main:app --host 0.0.0.0 --port ${port} --reload`,
  (port: number) => `gunicorn app.wsgi:application --bind 0.0.0.0:${port} --reload`,
  (port: number) => `fastapi dev app/main.py --port ${port}`,
  (port: number) => `python -m app --port ${port}`,
  (port: number) => `streamlit run app.py --server.port ${port}`,
];

export function generateProject(index: number, rnd: () => number): GeneratedProject {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const port = pick([8000, 8080, 5000, 8501]);
  const eol = rnd() < 0.1 ? '\r\n' : '\n';
  const lines: string[] = [];
  if (rnd() < 0.3) lines.push('# Service image');
  lines.push(`FROM ${pick(BASES)}`);
  if (rnd() < 0.4) lines.push('ENV PYTHONUNBUFFERED=1');
  if (rnd() < 0.3)
    lines.push(
      'RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc \\\n    && rm -rf /var/lib/apt/lists/*',
    );
  lines.push('WORKDIR /app');
  const chained = rnd() < 0.3;
  if (!chained) lines.push(pick(INSTALLS));
  if (rnd() < 0.5) lines.push('COPY pyproject.toml uv.lock ./');
  lines.push('COPY . .');
  if (chained) lines.push('RUN pip install uv && uv sync \\\n    # reproducible\n    --locked');
  else lines.push(`RUN uv sync ${pick(['--locked', '--frozen', ''])}`.trimEnd());
  lines.push(`EXPOSE ${port}`);
  const server = pick(SERVERS)(port);
  lines.push(
    rnd() < 0.5
      ? `CMD uv run ${server}`
      : `CMD ${JSON.stringify(['uv', 'run', ...server.split(' ')]).replace(/","/g, '", "')}`,
  );
  const finalNewline = rnd() < 0.85;
  const dockerfile = lines.join('\n').replace(/\n/g, eol) + (finalNewline ? eol : '');
  const minor = pick(['3.11', '3.12', '3.13']);
  return {
    dir: `svc-${String(index).padStart(5, '0')}`,
    files: {
      Dockerfile: dockerfile,
      'pyproject.toml': `[project]\nname = "svc-${index}"\nversion = "0.1.0"\nrequires-python = ">=${minor}"\ndependencies = ["fastapi", "uvicorn"]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n`,
      'uv.lock': `version = 1\nrequires-python = ">=${minor}"\n`,
      ...(rnd() < 0.5 ? { '.python-version': `${minor}\n` } : {}),
    },
  };
}
