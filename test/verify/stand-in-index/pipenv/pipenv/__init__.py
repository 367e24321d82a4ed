"""NOT Pipenv. The stand-in for Pipenv in the tests, which have no package index to lock against.

Installed by `pip install pipenv==X` from the stand-in wheels (test/helpers/stand-in-wheels.ts),
it does what Pipenv does to an image's files for the commands Dockerfiles use, with the image's
own pip (which gets the stand-in wheels, pip.conf's `no-index` and `find-links`), and no more:

- `pipenv install` / `pipenv sync` install Pipfile.lock's `default` packages (and `develop` with
  `--dev`/`-d`, `PIPENV_DEV`) as Pipenv does: `pip install --no-deps -r <the locked pins>`, with
  each pin's markers, `-i` and `--extra-index-url` from the lock's sources (`PIPENV_PYPI_MIRROR`
  in place of PyPI), editable and path entries as `-e path` / path. The one difference: no
  `--hash`: a lock's hashes are those of the real files on PyPI, which the stand-in wheels are not
  (`requirements --hash` leaves them out too, for the same reason).
  The target is Pipenv's: with `--system` (`PIPENV_SYSTEM`) the `python` on PATH; else an active
  `VIRTUAL_ENV`; else `.venv` beside the Pipfile when `PIPENV_VENV_IN_PROJECT` is set or `.venv`
  already exists; else `$WORKON_HOME` (default `~/.local/share/virtualenvs`) `/<name>-<hash>`. A
  venv is made with the Python this runs on (`python -m venv`, pip included, as virtualenv seeds
  it). Python versions are not compared: the test images have one Python under every tag.
- `install` compares Pipfile.lock's `_meta.hash` with the Pipfile's hash (Pipenv's algorithm):
  out of date, `--deploy` (`PIPENV_DEPLOY`) aborts with Pipenv's message; without it Pipenv
  would lock again, which needs an index: the stand-in fails there, as Pipenv does offline
  (with `--system` Pipenv warns and installs the old lock, and so does this). No Pipfile.lock:
  the same (locking), or Pipenv's `--system` refusal. `--ignore-pipfile` and `sync` skip the
  check; `--skip-lock` installs the Pipfile's own specifiers.
- `pipenv requirements` (`--dev`, `--dev-only`, `--exclude-markers`) prints the lock's
  pins; `pipenv run` runs a command (or a Pipfile `[scripts]` entry) in the environment;
  `pipenv verify` compares the hashes; `--venv`, `--py`, `--where`, `--rm`, `--version`.
- Anything that resolves or downloads (`lock`, `update`, `upgrade`, `install <package>`,
  `uninstall`, VCS entries) fails loudly: nothing here can reach an index.
"""
import base64
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib

TRUE = {"1", "true", "yes", "y", "on"}
PYPI = "https://pypi.org/simple"
DEFAULT_SOURCE = {"url": PYPI, "verify_ssl": True, "name": "pypi"}


class Failure(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def say(message):
    print(message, file=sys.stderr, flush=True)


def env_flag(name):
    return os.environ.get(name, "").strip().lower() in TRUE


def version():
    """The version of the wheel this was installed from, else the source tree's dist.toml."""
    here = os.path.dirname(os.path.abspath(__file__))
    for meta in glob.glob(os.path.join(os.path.dirname(here), "pipenv-*.dist-info", "METADATA")):
        found = re.search(r"^Version: (.+)$", open(meta).read(), re.M)
        if found:
            return found.group(1).strip()
    toml = os.path.join(os.path.dirname(here), "dist.toml")
    if os.path.exists(toml):
        with open(toml, "rb") as f:
            return tomllib.load(f)["version"]
    return "0+stand.in"


# --- the project --------------------------------------------------------------------------------


class Project:
    def __init__(self, pipfile):
        self.pipfile = pipfile
        self.root = os.path.dirname(pipfile)
        self.lockfile = os.path.join(self.root, "Pipfile.lock")
        with open(pipfile, "rb") as f:
            try:
                self.data = tomllib.load(f)
            except tomllib.TOMLDecodeError as error:
                raise Failure(f"Failed to load Pipfile: {error}")

    @classmethod
    def find(cls):
        named = os.environ.get("PIPENV_PIPFILE")
        if named:
            if not os.path.isfile(named):
                raise Failure(f"No Pipfile present at {named}.")
            return cls(os.path.abspath(named))
        here = os.getcwd()
        for _ in range(int(os.environ.get("PIPENV_MAX_DEPTH", "3") or 3)):
            candidate = os.path.join(here, "Pipfile")
            if os.path.isfile(candidate):
                return cls(candidate)
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        raise Failure(
            "No Pipfile present at project home. Consider running `pipenv install` to create one."
        )

    def pipfile_hash(self):
        """Pipenv's (plette's) hash of the Pipfile, which Pipfile.lock keeps in `_meta.hash`."""
        data = {
            "_meta": {
                "sources": self.data.get("source", [DEFAULT_SOURCE]),
                "requires": self.data.get("requires", {}),
            },
            "default": self.data.get("packages", {}),
            "develop": self.data.get("dev-packages", {}),
        }
        for key, value in self.data.items():
            if key not in ("source", "packages", "dev-packages", "requires", "scripts", "pipfile", "pipenv"):
                data[key] = value
        content = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(content.encode("utf8")).hexdigest()

    def lock(self):
        if not os.path.isfile(self.lockfile):
            return None
        with open(self.lockfile, encoding="utf8") as f:
            try:
                return json.load(f)
            except json.JSONDecodeError as error:
                raise Failure(f"Pipfile.lock is not valid JSON: {error}")

    def venv_location(self):
        active = os.environ.get("VIRTUAL_ENV")
        if active and not env_flag("PIPENV_IGNORE_VIRTUALENVS"):
            return active
        dot = os.path.join(self.root, ".venv")
        in_project = os.environ.get("PIPENV_VENV_IN_PROJECT", "").strip().lower()
        if in_project in TRUE or (not in_project and os.path.isdir(dot)):
            return dot
        home = os.environ.get("WORKON_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share", "virtualenvs")
        name = re.sub(r'[ &$`!*@"()\[\]\\\r\n\t]', "_", os.path.basename(self.root))[:42]
        digest = base64.urlsafe_b64encode(hashlib.sha256(self.pipfile.encode()).digest()[:6]).decode()
        return os.path.join(home, f"{name}-{digest}")


# --- environments -------------------------------------------------------------------------------


def base_python():
    return getattr(sys, "_base_executable", None) or sys.executable


def system_python():
    return shutil.which("python") or shutil.which("python3") or sys.executable


def venv_python(location):
    return os.path.join(location, "bin", "python")


def ensure_venv(project):
    location = project.venv_location()
    if os.path.exists(venv_python(location)):
        return location
    say("Creating a virtualenv for this project...")
    say(f"Pipfile: {project.pipfile}")
    say(f"Using {base_python()} to create virtualenv...")
    made = subprocess.run([base_python(), "-m", "venv", location])
    if made.returncode != 0:
        raise Failure("Failed to create virtual environment.")
    say("Successfully created virtual environment!")
    say(f"Virtualenv location: {location}")
    return location


def target_python(project, system):
    return system_python() if system else venv_python(ensure_venv(project))


# --- the lock -----------------------------------------------------------------------------------

VCS = ("git", "hg", "svn", "bzr")


def requirement_line(name, entry, markers=True):
    if isinstance(entry, str):
        entry = {"version": entry}
    for vcs in VCS:
        if vcs in entry:
            raise Failure(
                f"pipenv (stand-in, NOT Pipenv): {name} comes from {vcs} ({entry[vcs]}), which the tests cannot reach"
            )
    extras = f"[{','.join(entry['extras'])}]" if entry.get("extras") else ""
    if "path" in entry or "file" in entry:
        where = entry.get("path") or entry.get("file")
        line = f"-e {where}" if entry.get("editable") else where
        return line
    spec = entry.get("version", "*")
    line = f"{name}{extras}{'' if spec == '*' else spec}"
    if markers and entry.get("markers"):
        line += f"; {entry['markers']}"
    return line


def sections(dev, dev_only):
    return ["develop"] if dev_only else (["default", "develop"] if dev else ["default"])


def locked_lines(lock, names, markers=True):
    seen, lines = set(), []
    for section in names:
        for name, entry in lock.get(section, {}).items():
            key = re.sub(r"[-_.]+", "-", name).lower()
            if key not in seen:
                seen.add(key)
                lines.append(requirement_line(name, entry, markers))
    return lines


def index_args(sources):
    mirror = os.environ.get("PIPENV_PYPI_MIRROR")
    urls = [mirror if mirror and s.get("url", "").rstrip("/") == PYPI else s.get("url") for s in sources]
    args = []
    for i, url in enumerate(u for u in urls if u):
        args += ["-i" if i == 0 else "--extra-index-url", url]
    return args


def pip_install(python, lines, sources, extra_args=()):
    with tempfile.NamedTemporaryFile("w", suffix="-requirements.txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        args = [python, "-m", "pip", "install", "--no-deps", *index_args(sources), *extra_args, "-r", path]
        if subprocess.run(args).returncode != 0:
            raise Failure("Couldn't install package: pip failed (see above)")
    finally:
        os.remove(path)


def cannot_lock(why):
    raise Failure(
        f"{why}\npipenv (stand-in, NOT Pipenv): locking resolves against a package index, which the tests do not have"
    )


# --- commands -----------------------------------------------------------------------------------

VALUED = {"--python", "--pypi-mirror", "--extra-pip-args", "--categories", "-r", "--requirements", "--index", "-i"}
FLAGS = {
    "--system", "--deploy", "--dev", "-d", "--ignore-pipfile", "--skip-lock", "--site-packages",
    "--clear", "-v", "--verbose", "-q", "--quiet", "--pre", "--keep-outdated", "--selective-upgrade",
    "--dev-only", "--hash", "--exclude-markers", "--no-site-packages",
}


def parse(args):
    options, positional, i = {}, [], 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-") and "=" in arg and arg.split("=", 1)[0] in VALUED:
            key, value = arg.split("=", 1)
            options[key] = value
        elif arg in VALUED:
            if i + 1 >= len(args):
                raise Failure(f"Error: Option '{arg}' requires an argument.", 2)
            options[arg] = args[i + 1]
            i += 1
        elif arg in FLAGS:
            options[arg] = True
        elif arg.startswith("-"):
            raise Failure(f"Error: No such option: {arg}", 2)
        else:
            positional.append(arg)
        i += 1
    if options.get("--pypi-mirror"):
        os.environ["PIPENV_PYPI_MIRROR"] = options["--pypi-mirror"]
    return options, positional


def flag(options, *names, env=None):
    return any(options.get(n) for n in names) or (env is not None and env_flag(env))


def cmd_install(args, sync=False):
    options, packages = parse(args)
    if packages or options.get("-r") or options.get("--requirements"):
        cannot_lock("Installing a package adds it to the Pipfile and locks again.")
    project = Project.find()
    system = flag(options, "--system", env="PIPENV_SYSTEM")
    deploy = flag(options, "--deploy", env="PIPENV_DEPLOY")
    dev = flag(options, "--dev", "-d", env="PIPENV_DEV")
    ignore_pipfile = sync or flag(options, "--ignore-pipfile", env="PIPENV_IGNORE_PIPFILE")
    skip_lock = not sync and flag(options, "--skip-lock", env="PIPENV_SKIP_LOCK")
    extra = shlex.split(options.get("--extra-pip-args", ""))
    if skip_lock:
        wanted = dict(project.data.get("packages", {}))
        if dev:
            wanted = {**project.data.get("dev-packages", {}), **wanted}
        say("Installing dependencies from Pipfile...")
        lines = [requirement_line(name, entry) for name, entry in wanted.items()]
        pip_install(target_python(project, system), lines, project.data.get("source", [DEFAULT_SOURCE]), extra)
        return 0
    lock = project.lock()
    if lock is None:
        if sync:
            raise Failure("Pipfile.lock not found: `pipenv sync` installs a lock, and there is none.")
        if system:
            raise Failure(
                "--system is intended to be used for Pipfile installation, not installation of specific "
                "packages. Aborting.\nSee also: --deploy flag."
            )
        cannot_lock("Pipfile.lock not found, creating...")
    old = lock.get("_meta", {}).get("hash", {}).get("sha256", "")
    new = project.pipfile_hash()
    if not ignore_pipfile and old != new:
        if deploy:
            raise Failure(f"Your Pipfile.lock ({old[-6:]}) is out of date. Expected: ({new[-6:]}).\nERROR:: Aborting deploy")
        if system:
            say(
                f"Pipfile.lock ({old[-6:]}) out of date, but installation uses --system re-building "
                "lockfile must happen in isolation. Please rebuild lockfile in a virtualenv. Continuing anyway..."
            )
        else:
            cannot_lock(f"Pipfile.lock ({old[-6:]}) out of date, updating to ({new[-6:]})...")
    say(f"Installing dependencies from Pipfile.lock ({old[-6:]})...")
    lines = locked_lines(lock, sections(dev, False))
    # Pipenv makes the venv before it reads the lock; here a refused lock leaves none behind.
    python = target_python(project, system)
    if lines:
        pip_install(python, lines, lock.get("_meta", {}).get("sources", [DEFAULT_SOURCE]), extra)
    return 0


def cmd_requirements(args):
    options, _ = parse(args)
    project = Project.find()
    lock = project.lock()
    if lock is None:
        raise Failure("Pipfile.lock not found: `pipenv requirements` prints a lock, and there is none.")
    lines = index_args(lock.get("_meta", {}).get("sources", [DEFAULT_SOURCE]))
    out = [" ".join(lines[i : i + 2]) for i in range(0, len(lines), 2)]
    out += locked_lines(
        lock,
        sections(flag(options, "--dev", "-d"), flag(options, "--dev-only")),
        markers=not options.get("--exclude-markers"),
    )
    print("\n".join(out))
    return 0


def cmd_run(args):
    if not args:
        raise Failure("Error: Missing argument 'COMMAND'.", 2)
    project = Project.find()
    system = env_flag("PIPENV_SYSTEM")
    command = args
    script = project.data.get("scripts", {}).get(args[0])
    if isinstance(script, str):
        command = shlex.split(script) + args[1:]
    env = dict(os.environ, PIPENV_ACTIVE="1")
    if not system:
        location = ensure_venv(project)
        env["VIRTUAL_ENV"] = location
        env["PATH"] = os.path.join(location, "bin") + os.pathsep + env.get("PATH", "")
        env.pop("PYTHONHOME", None)
    found = shutil.which(command[0], path=env["PATH"])
    if not found:
        raise Failure(f"Error: the command {command[0]} could not be found within PATH or Pipfile's [scripts].")
    os.execve(found, command, env)


def refuse(what):
    raise Failure(f"pipenv (stand-in, NOT Pipenv): `pipenv {what}` resolves or downloads, which the tests cannot do")


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args or args[0] in ("-h", "--help"):
            print(__doc__)
            return 0
        if args[0] == "--version":
            print(f"pipenv, version {version()} (stand-in for the tests, NOT Pipenv)")
            return 0
        if args[0] in ("--venv", "--py", "--where", "--rm"):
            project = Project.find()
            if args[0] == "--where":
                print(project.root)
            elif args[0] == "--rm":
                shutil.rmtree(project.venv_location(), ignore_errors=True)
            else:
                location = project.venv_location()
                if not os.path.exists(venv_python(location)):
                    raise Failure("No virtualenv has been created for this project yet!")
                print(venv_python(location) if args[0] == "--py" else location)
            return 0
        command, rest = args[0], args[1:]
        if command == "install":
            return cmd_install(rest)
        if command == "sync":
            return cmd_install(rest, sync=True)
        if command == "requirements":
            return cmd_requirements(rest)
        if command == "run":
            return cmd_run(rest)
        if command == "verify":
            project = Project.find()
            lock = project.lock() or {}
            if lock.get("_meta", {}).get("hash", {}).get("sha256") == project.pipfile_hash():
                print("Pipfile.lock is up-to-date.")
                return 0
            raise Failure("Pipfile.lock is out-of-date. Run `pipenv lock` to update.")
        if command in ("lock", "update", "upgrade", "uninstall", "clean", "graph", "check", "shell", "scripts", "open"):
            refuse(command)
        raise Failure(f"Error: No such command '{command}'.", 2)
    except Failure as failure:
        say(str(failure))
        return failure.code
