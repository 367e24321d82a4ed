/**
 * A Docker engine of the tests' own: Debian's `dockerd` (package docker.io), started by the test
 * on a private socket with its data, state and containerd under a temporary directory, and
 * stopped after, so nothing of the machine's (a running Docker, /var/lib/docker) is used or
 * touched. The settings are what this sandbox needs (../shared/containers/README.md): no
 * iptables, fixed ulimits, and no docker0.
 *
 * Networking: a BuildKit RUN step joins the engine's default network, and a dockerd started with
 * `--bridge=none` has none ("network bridge not found"), while the classic builder and
 * containers do without. So the helper gives this dockerd a bridge of its own (a private name and
 * /24, no NAT, no forwarding, deleted after); where one cannot be made (no CAP_NET_ADMIN) it runs
 * with `--bridge=none` and `buildkit` says why BuildKit cannot be tested. Verify itself publishes
 * no port, so containers need no host network either way.
 *
 * The client is Debian's `docker` from the same package: BuildKit is built into its `docker
 * build` (DOCKER_BUILDKIT=1), where a newer client needs the buildx plugin.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BASE_IMAGE,
  BASE_IMAGE_CHANGES,
  rootfsTarball,
  STAND_IN,
  STAND_IN_BUILD,
  standInSources,
  UV_IMAGE,
} from './engine-images.js';

/** Debian's client, installed with dockerd by docker.io. */
const DEBIAN_CLIENT = '/usr/bin/docker';

export interface Dockerd {
  /** The environment that reaches this dockerd: DOCKER_HOST, Debian's client first on PATH. */
  env: NodeJS.ProcessEnv;
  /** Null when BuildKit builds can run here; else why not. */
  buildkit: string | null;
  /** Runs the client against this dockerd; throws with its stderr when it fails. */
  docker(...args: string[]): string;
  stop(): Promise<void>;
}

/** Whether a dockerd can be started here: the binary, Debian's client, and root. */
export function dockerdWorks(): boolean {
  return (
    process.getuid?.() === 0 &&
    existsSync(DEBIAN_CLIENT) &&
    spawnSync('dockerd', ['--version'], { timeout: 15_000 }).status === 0
  );
}

export async function startDockerd(): Promise<Dockerd> {
  const dir = mkdtempSync(join(tmpdir(), 'dockmig-dockerd-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(DEBIAN_CLIENT, join(bin, 'docker'));
  const socket = join(dir, 'docker.sock');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    DOCKER_HOST: `unix://${socket}`,
    // Not the user's client configuration (contexts, credential helpers).
    DOCKER_CONFIG: join(dir, 'config'),
  };
  const bridge = makeBridge();
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const daemon = spawn(
    'dockerd',
    [
      '--host',
      `unix://${socket}`,
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      `--bridge=${bridge?.name ?? 'none'}`,
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      '--userland-proxy=false',
      '--default-ulimit',
      'nofile=1024:1024',
    ],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((done) => daemon.on('exit', () => done()));
  let running = true;
  void exited.then(() => (running = false));

  const docker = (...args: string[]) => {
    const r = spawnSync('docker', args, { env, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr || r.error}`);
    return r.stdout;
  };
  const stop = async () => {
    if (running && daemon.pid) {
      // dockerd stops its containers and its containerd first: a few seconds.
      daemon.kill('SIGTERM');
      const late = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(late);
    }
    if (bridge) spawnSync('ip', ['link', 'del', bridge.name]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const until = Date.now() + 60_000;
    for (;;) {
      if (spawnSync('docker', ['info'], { env, timeout: 10_000 }).status === 0) break;
      if (!running || Date.now() > until)
        throw new Error(
          `dockerd did not start: ${readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-8).join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    env,
    buildkit: bridge
      ? null
      : 'no bridge could be made for this dockerd (ip link add needs CAP_NET_ADMIN), and a BuildKit RUN step needs the default network',
    docker,
    stop,
  };
}

/** Whether a bridge can be made here (CAP_NET_ADMIN): what BuildKit needs of this dockerd. */
export function canMakeBridge(): boolean {
  const name = `dmvprobe${process.pid % 1_000_000}`;
  if (spawnSync('ip', ['link', 'add', name, 'type', 'bridge']).status !== 0) return false;
  spawnSync('ip', ['link', 'del', name]);
  return true;
}

/** A bridge for this dockerd alone: a name and a 10.213.x.0/24 no route of the machine uses. */
function makeBridge(): { name: string } | null {
  const name = `dmv${process.pid % 1_000_000}`;
  const routes = spawnSync('ip', ['-4', 'route'], { encoding: 'utf8' }).stdout ?? '';
  for (let i = 0; i < 200; i++) {
    const x = ((process.pid + i) % 200) + 20;
    if (routes.includes(`10.213.${x}.`)) continue;
    const ip = (...a: string[]) => spawnSync('ip', a).status === 0;
    if (!ip('link', 'add', name, 'type', 'bridge')) return null;
    if (ip('addr', 'add', `10.213.${x}.1/24`, 'dev', name) && ip('link', 'set', name, 'up'))
      return { name };
    ip('link', 'del', name);
    return null;
  }
  return null;
}

/**
 * The images verify's tests build on, in this dockerd: the same rootfs podman imports, under the
 * same name and label, and the uv stand-in built with the classic builder (it needs no network).
 */
export function loadImages(d: Dockerd): void {
  d.docker(
    'import',
    ...BASE_IMAGE_CHANGES.flatMap((c) => ['--change', c]),
    rootfsTarball(),
    BASE_IMAGE,
  );
  const r = spawnSync(
    'docker',
    [
      'build',
      '-q',
      '--label',
      `${STAND_IN}=${standInSources()}`,
      '-t',
      UV_IMAGE,
      '-f',
      STAND_IN_BUILD.file,
      STAND_IN_BUILD.context,
    ],
    { env: { ...d.env, DOCKER_BUILDKIT: '0' }, encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) throw new Error(`the uv stand-in did not build in dockerd: ${r.stderr}`);
}
