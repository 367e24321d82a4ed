/**
 * The transforms, in the order the engine applies them. The order is the contract: each transform
 * may rely on what the ones before it have done: the builder layout exists before the stage split,
 * and the command is rewritten once it stands in the runtime stage, where the venv is on PATH.
 * Digests are pinned last, on the images the migration settled on.
 */
import type { Transform } from '../src/core/transform.js';
import pinPythonBase from './pin-python-base.js';
import appDirectory from './app-directory.js';
import pinUv from './pin-uv.js';
import uvPythonEnv from './uv-python-env.js';
import frozenLockfile from './frozen-lockfile.js';
import uvPipVenv from './uv-pip-venv.js';
import pipVenv from './pip-venv.js';
import poetryVenv from './poetry-venv.js';
import pipenvVenv from './pipenv-venv.js';
import dependencyLayer from './dependency-layer.js';
import noUvAtRuntime from './no-uv-at-runtime.js';
import noDevServer from './no-dev-server.js';
import execForm from './exec-form.js';
import entrypointScripts from './entrypoint-scripts.js';
import multiStage from './multi-stage.js';
import rebaseRuntimeTargets from './rebase-runtime-targets.js';
import venvOnPath from './venv-on-path.js';
import samePythonImage from './same-python-image.js';
import nonRootUser from './non-root-user.js';
import healthcheck from './healthcheck.js';
import dockerignore from './dockerignore.js';
import composeCommands from './compose-commands.js';
import composeFiles from './compose-files.js';
import pinDigests from './pin-digests.js';
import secretInEnv from './secret-in-env.js';
import unsupported from './unsupported.js';

export const TRANSFORMS: readonly Transform[] = [
  unsupported,
  pinPythonBase,
  appDirectory,
  pinUv,
  uvPythonEnv,
  frozenLockfile,
  uvPipVenv,
  pipVenv,
  poetryVenv,
  pipenvVenv,
  dependencyLayer,
  multiStage,
  rebaseRuntimeTargets,
  venvOnPath,
  samePythonImage,
  noUvAtRuntime,
  noDevServer,
  execForm,
  entrypointScripts,
  composeCommands,
  nonRootUser,
  healthcheck,
  dockerignore,
  composeFiles,
  pinDigests,
  secretInEnv,
];
