"""NOT uv. The stand-in for uv in the tests, which have no network and no uv binary to be had.

It does what uv does to a Docker image's files, closely enough that a wrong migration fails the
way it fails with uv, and no more:

- `uv sync` makes the project environment (`UV_PROJECT_ENVIRONMENT`, else `.venv` at the
  workspace root) the way uv does: `bin/python` a symlink to the image's own Python (its
  `python3`; the stand-in does not download Pythons nor compare versions), `pyvenv.cfg`,
  `lib/pythonX.Y/site-packages`. It installs `[project].dependencies` (and extras with `--extra`)
  and their requirements from the stand-in index packed into this file (`stand-in-index/`: small
  stand-ins of uvicorn, fastapi, gunicorn...; any other name becomes an empty placeholder package
  with its metadata), the `dev` group unless `--no-dev`/`UV_NO_DEV`, and removes what is not
  wanted (uv syncs exactly). The project itself is installed (editable, unless `--no-editable`)
  when it is packaged (`[build-system]`, not `[tool.uv] package = false`), unless
  `--no-install-project`; a build backend that finds no package (or no readme) fails the build as
  it does under uv. Workspaces: members, `--package`, `--all-packages`. `--frozen`/`--locked`
  (and `UV_FROZEN`/`UV_LOCKED`) need `uv.lock`; `--locked` also fails when the lockfile does not
  list the project's dependencies. Console scripts land in the environment's `bin` with a
  shebang to its python.
- `uv pip install|sync` into the active or `.venv` environment, or the system Python with
  `--system`/`UV_SYSTEM_PYTHON` (`-r requirements.txt`, names, `.` and paths, `-e`); `uv venv`;
  `uv export` (requirements from uv.lock).
- `uv run`, `uvx`, `uv python install`, `uv lock` (other than `--check`) fail loudly: nothing in a
  migrated image may need uv at run time, and nothing here can resolve or download.
"""
import compileall
import configparser
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile

VERSION = "0.13.8"
TRUE = {"1", "true", "yes", "y", "on"}


class Failure(Exception):
    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


def say(message):
    if not QUIET:
        print(message, file=sys.stderr, flush=True)


QUIET = False


def env_flag(name):
    return os.environ.get(name, "").strip().lower() in TRUE


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def module_name(name):
    return re.sub(r"[-.]+", "_", name).lower()


REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


def parse_requirement(text):
    """`name[extra,...] specifier ; marker` -> (name, extras). Markers are not evaluated."""
    match = REQUIREMENT.match(text)
    if not match:
        raise Failure(f"error: Failed to parse requirement: `{text}`")
    extras = {normalize(e) for e in (match.group(2) or "").split(",") if e.strip()}
    return match.group(1), extras


# --- the stand-in index -------------------------------------------------------------------------


class Index:
    """The stand-in packages: packed into this zipapp under `stand-in-index/`, or read from the
    directory beside this file's when it runs unpacked."""

    def __init__(self):
        self.dists = {}
        archive = getattr(__loader__, "archive", None)
        if archive:
            with zipfile.ZipFile(archive) as z:
                files = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
        else:
            root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stand-in-index")
            files = {}
            for path in glob.glob(os.path.join(root, "**", "*"), recursive=True):
                if os.path.isfile(path):
                    rel = os.path.relpath(path, os.path.dirname(root))
                    files[rel.replace(os.sep, "/")] = open(path, "rb").read()
        for name, data in files.items():
            parts = name.split("/")
            if len(parts) < 3 or parts[0] != "stand-in-index" or "__pycache__" in parts:
                continue
            dist = self.dists.setdefault(parts[1], {"meta": None, "files": {}})
            if parts[2:] == ["dist.toml"]:
                dist["meta"] = tomllib.loads(data.decode())
            else:
                dist["files"]["/".join(parts[2:])] = data
        self.dists = {normalize(d["meta"]["name"]): d for d in self.dists.values() if d["meta"]}

    def get(self, name):
        """(metadata, files) of a stand-in, or of an empty placeholder for any other name."""
        dist = self.dists.get(normalize(name))
        if dist:
            return dist["meta"], dist["files"]
        placeholder = f'"""Placeholder installed by the uv stand-in of the tests: NOT {name}."""\n'
        return (
            {"name": name, "version": "0+stand.in", "requires": [], "extras": {}, "scripts": {}},
            {f"{module_name(name)}/__init__.py": placeholder.encode()},
        )


# --- environments -------------------------------------------------------------------------------


def base_python():
    """The image's Python, even when the stand-in runs from a venv's python3 first on PATH."""
    return getattr(sys, "_base_executable", None) or sys.executable


def python_version():
    return "%d.%d" % sys.version_info[:2]


class Environment:
    def __init__(self, root, site, scripts, python, virtual):
        self.root, self.site, self.scripts, self.python, self.virtual = root, site, scripts, python, virtual

    @classmethod
    def venv(cls, root):
        root = os.path.abspath(root)
        site = os.path.join(root, "lib", f"python{python_version()}", "site-packages")
        return cls(root, site, os.path.join(root, "bin"), os.path.join(root, "bin", "python"), True)

    @classmethod
    def system(cls, python=None):
        python = python or base_python()
        paths = json.loads(
            subprocess.run(
                [python, "-I", "-c", "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        return cls(paths["data"], paths["purelib"], paths["scripts"], python, False)


def is_system_prefix(path):
    """Whether `path` is where the image's Python installs packages (`UV_PROJECT_ENVIRONMENT=
    /usr/local` on the official images, whose prefix it is; Debian's Python here, in /usr,
    installs into /usr/local as well)."""
    path = os.path.abspath(path)
    return path in (os.path.abspath(sys.base_prefix), Environment.system().root)


def write_venv(root, clear=False):
    root = os.path.abspath(root)
    if clear and os.path.lexists(root):
        shutil.rmtree(root)
    env = Environment.venv(root)
    os.makedirs(env.site, exist_ok=True)
    os.makedirs(env.scripts, exist_ok=True)
    base = base_python()
    for name in ("python", "python3", f"python{python_version()}"):
        link = os.path.join(env.scripts, name)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(base if name == "python" else "python", link)
    with open(os.path.join(root, "pyvenv.cfg"), "w") as f:
        f.write(
            f"home = {os.path.dirname(base)}\nimplementation = CPython\nuv = {VERSION}\n"
            f"version_info = {'.'.join(map(str, sys.version_info[:3]))}\n"
            "include-system-site-packages = false\n"
        )
    with open(os.path.join(root, ".gitignore"), "w") as f:
        f.write("*\n")
    with open(os.path.join(env.scripts, "activate"), "w") as f:
        f.write(
            f'VIRTUAL_ENV="{root}"\nexport VIRTUAL_ENV\n'
            'PATH="$VIRTUAL_ENV/bin:$PATH"\nexport PATH\nunset PYTHONHOME\n'
        )
    return env


def project_environment(path):
    """The environment `uv sync` uses at `path`: reused if it is one, made if absent or broken."""
    if os.path.exists(os.path.join(path, "pyvenv.cfg")):
        if os.path.exists(os.path.join(path, "bin", "python")):
            return Environment.venv(path)
        say(f"Removed virtual environment at: {path}")
    elif os.path.isdir(path) and os.listdir(path):
        if is_system_prefix(path):
            return Environment.system()
        raise Failure(
            f"error: Project virtual environment directory `{os.path.abspath(path)}` cannot be used "
            "because it is not a valid Python environment (no Python executable was found)"
        )
    say(f"Using CPython {'.'.join(map(str, sys.version_info[:3]))} interpreter at: {base_python()}")
    say(f"Creating virtual environment at: {path}")
    return write_venv(path, clear=True)


# --- installing ---------------------------------------------------------------------------------


def installed(env):
    """{normalized name: (dist-info path, version)} of what is in the environment's site dir."""
    found = {}
    for info in glob.glob(os.path.join(env.site, "*.dist-info")):
        path = os.path.join(info, "METADATA")
        meta = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        name = re.search(r"^Name: (.+)$", meta, re.M)
        version = re.search(r"^Version: (.+)$", meta, re.M)
        if name:
            found[normalize(name.group(1).strip())] = (info, version.group(1).strip() if version else "")
    return found


def uninstall(env, info):
    record = os.path.join(info, "RECORD")
    paths = []
    if os.path.exists(record):
        paths = [line.split(",")[0] for line in open(record, encoding="utf-8") if line.strip()]
    for rel in paths:
        path = os.path.normpath(os.path.join(env.site, rel))
        if os.path.isfile(path) or os.path.islink(path):
            os.remove(path)
            parent = os.path.dirname(path)
            while parent.startswith(env.site + os.sep) and os.path.isdir(parent) and not os.listdir(parent):
                os.rmdir(parent)
                parent = os.path.dirname(parent)
    shutil.rmtree(info, ignore_errors=True)


def script_text(env, target):
    module, _, attr = target.partition(":")
    return (
        f"#!{env.python}\n# -*- coding: utf-8 -*-\nimport sys\nfrom {module} import {attr.split('.')[0]}\n"
        f'if __name__ == "__main__":\n    sys.argv[0] = sys.argv[0].removesuffix(".exe")\n'
        f"    sys.exit({attr}())\n"
    )


def write_dist(env, meta, files, extra_records=(), direct_url=None):
    """Install one distribution: its files, console scripts and .dist-info (RECORD lists them
    all, so that a later exact sync can take it out again)."""
    name, version = meta["name"], meta["version"]
    records = []
    for rel, data in files.items():
        path = os.path.join(env.site, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        records.append(rel)
    scripts = meta.get("scripts", {})
    for script, target in scripts.items():
        path = os.path.join(env.scripts, script)
        os.makedirs(env.scripts, exist_ok=True)
        with open(path, "w") as f:
            f.write(script_text(env, target))
        os.chmod(path, 0o755)
        records.append(os.path.relpath(path, env.site))
    records += list(extra_records)
    info = os.path.join(env.site, f"{module_name(name)}-{version}.dist-info")
    os.makedirs(info, exist_ok=True)
    requires = "".join(f"Requires-Dist: {r}\n" for r in meta.get("requires", []))
    written = {
        "METADATA": f"Metadata-Version: 2.3\nName: {name}\nVersion: {version}\n{requires}",
        "INSTALLER": "uv\n",
    }
    if scripts:
        written["entry_points.txt"] = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items()) + "\n"
    if direct_url:
        written["direct_url.json"] = json.dumps(direct_url)
    for file, text in written.items():
        with open(os.path.join(info, file), "w", encoding="utf-8") as f:
            f.write(text)
    info_rel = os.path.relpath(info, env.site)
    with open(os.path.join(info, "RECORD"), "w", encoding="utf-8") as f:
        for rel in records + [f"{info_rel}/{n}" for n in written] + [f"{info_rel}/RECORD"]:
            f.write(f"{rel},,\n")


class Plan:
    """What an environment should hold: registry distributions (name -> extras) and local
    projects (path -> editable), in the order they were asked for."""

    def __init__(self, index, members=None):
        self.index, self.members = index, members or {}
        self.dists, self.projects = {}, {}

    def add(self, requirement, no_deps=False):
        todo = [parse_requirement(requirement)]
        while todo:
            name, extras = todo.pop(0)
            key = normalize(name)
            if key in self.members:
                self.add_project(self.members[key], editable=True, no_deps=no_deps)
                continue
            new = extras - self.dists.get(key, set())
            if key in self.dists and not new:
                continue
            self.dists[key] = self.dists.get(key, set()) | extras
            if no_deps:
                continue
            meta, _ = self.index.get(name)
            wanted = list(meta.get("requires", []))
            for extra in sorted(new):
                wanted += meta.get("extras", {}).get(extra, [])
            todo += [parse_requirement(r) for r in wanted]

    def add_project(self, project, editable, install=True, no_deps=False, extras=()):
        if project.root in self.projects:
            return
        self.projects[project.root] = editable if install and project.packaged else None
        if no_deps:
            return
        for requirement in project.dependencies(extras):
            self.add(requirement)


def apply(plan, env, exact):
    """Make the environment hold what the plan says; uv's output, shortened."""
    started = time.monotonic()
    before = installed(env)
    projects = [Project(root) for root, editable in plan.projects.items() if editable is not None]
    wanted = {key: plan.index.get(key)[0] for key in plan.dists}
    names = set(wanted) | {normalize(p.name) for p in projects}
    say(f"Resolved {len(names)} package{'s' if len(names) != 1 else ''} in 1ms (stand-in index)")
    project_names = {normalize(p.name) for p in projects}
    removed = []
    for key, (info, version) in sorted(before.items()):
        if key in project_names or (key in wanted and version == wanted[key]["version"]):
            continue
        if key in wanted or exact:
            uninstall(env, info)
            if key not in names:
                removed.append(f" - {key}=={version}")
    added = []
    for key, meta in wanted.items():
        if key in before and before[key][1] == meta["version"]:
            continue
        _, files = plan.index.get(key)
        write_dist(env, meta, files)
        added.append(f" + {meta['name']}=={meta['version']}")
    for project in projects:
        project.install(env, editable=plan.projects[project.root])
        added.append(f" + {project.name}=={project.version} (from file://{project.root})")
    if compile_bytecode():
        compileall.compile_dir(env.site, quiet=2)
    if added:
        say(f"Installed {len(added)} package{'s' if len(added) != 1 else ''} in {int((time.monotonic() - started) * 1000)}ms")
    for line in sorted(removed) + sorted(added):
        say(line)


def compile_bytecode():
    return COMPILE or env_flag("UV_COMPILE_BYTECODE")


COMPILE = False


# --- projects -----------------------------------------------------------------------------------


BACKENDS = {
    # build backend -> (what it calls the project's package, whether a missing one fails the build)
    "hatchling.build": "hatchling",
    "poetry.core.masonry.api": "poetry",
    "uv_build": "uv_build",
    "flit_core.buildapi": "flit",
}


class Project:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        path = os.path.join(self.root, "pyproject.toml")
        if not os.path.exists(path):
            raise Failure(f"error: No `pyproject.toml` found in `{self.root}`")
        with open(path, "rb") as f:
            self.toml = tomllib.load(f)
        self.meta = self.toml.get("project", {})
        self.uv = self.toml.get("tool", {}).get("uv", {})
        self.name = self.meta.get("name", os.path.basename(self.root))
        self.version = self.meta.get("version", "0.0.0")

    @property
    def packaged(self):
        if "package" in self.uv:
            return bool(self.uv["package"])
        return "build-system" in self.toml and "project" in self.toml

    def dependencies(self, extras=()):
        wanted = list(self.meta.get("dependencies", []))
        optional = self.meta.get("optional-dependencies", {})
        for extra in extras:
            if extra == "*":
                wanted += [r for group in optional.values() for r in group]
            elif normalize(extra) in {normalize(k) for k in optional}:
                wanted += next(v for k, v in optional.items() if normalize(k) == normalize(extra))
            else:
                raise Failure(f"error: Extra `{extra}` is not defined in the project's `optional-dependencies` table")
        return wanted

    def group(self, name, seen=()):
        groups = dict(self.toml.get("dependency-groups", {}))
        if name == "dev" and self.uv.get("dev-dependencies"):
            groups["dev"] = list(groups.get("dev", [])) + list(self.uv["dev-dependencies"])
        if name not in groups:
            raise Failure(f"error: Group `{name}` is not defined in the project's `dependency-groups` table")
        out = []
        for item in groups[name]:
            if isinstance(item, dict) and "include-group" in item and item["include-group"] not in seen:
                out += self.group(item["include-group"], (*seen, name))
            elif isinstance(item, str):
                out.append(item)
        return out

    def member_roots(self):
        workspace = self.uv.get("workspace")
        if not workspace:
            return []
        excluded = {
            os.path.abspath(path)
            for pattern in workspace.get("exclude", [])
            for path in glob.glob(os.path.join(self.root, pattern))
        }
        roots = []
        for pattern in workspace.get("members", []):
            for path in sorted(glob.glob(os.path.join(self.root, pattern))):
                path = os.path.abspath(path)
                if path not in excluded and os.path.exists(os.path.join(path, "pyproject.toml")):
                    roots.append(path)
        return roots

    def has_group(self, name):
        return name in self.toml.get("dependency-groups", {}) or (name == "dev" and bool(self.uv.get("dev-dependencies")))

    def fail_build(self, backend, hook, lines):
        body = "\n".join(f"      {line}" for line in lines)
        raise Failure(
            f"  × Failed to build `{self.name} @ file://{self.root}`\n"
            f"  ├─▶ The build backend returned an error\n"
            f"  ╰─▶ Call to `{backend}.{hook}` failed (exit status: 1)\n\n      [stderr]\n{body}\n\n"
            f"      hint: This usually indicates a problem with the package or the build environment.",
            code=1,
        )

    def package_roots(self, editable):
        """The directories the built project puts on sys.path (editable) or copies (wheel), found
        as the backends find them; a strict backend that finds nothing fails like the real one."""
        backend = self.toml.get("build-system", {}).get("build-backend", "setuptools.build_meta:__legacy__")
        hook = "build_editable" if editable else "build_wheel"
        readme = self.meta.get("readme")
        readme = readme.get("file") if isinstance(readme, dict) else readme
        if readme and not os.path.exists(os.path.join(self.root, readme)):
            self.fail_build(backend, hook, [f"OSError: Readme file does not exist: {readme}"])
        kind = BACKENDS.get(backend)
        norm = module_name(self.name)
        tool = self.toml.get("tool", {})
        explicit = []
        if kind == "hatchling":
            explicit = tool.get("hatch", {}).get("build", {}).get("targets", {}).get("wheel", {}).get("packages", [])
        elif kind == "poetry":
            explicit = [
                os.path.join(p.get("from", ""), p["include"]) for p in tool.get("poetry", {}).get("packages", [])
            ]
        elif kind == "uv_build":
            module = tool.get("uv", {}).get("build-backend", {}).get("module-name", norm)
            root = tool.get("uv", {}).get("build-backend", {}).get("module-root", "src")
            explicit = [os.path.join(root, module)]
            if not os.path.exists(os.path.join(self.root, explicit[0], "__init__.py")):
                self.fail_build(backend, hook, [f"Error: Expected a Python module at: `{explicit[0]}/__init__.py`"])
        if explicit:
            found = [p for p in explicit if os.path.exists(os.path.join(self.root, p))]
        else:
            # hatchling's default file selection, in its order: the first match only
            candidates = [(norm, "__init__.py"), (f"src/{norm}", "__init__.py"), (f"{norm}.py", "")]
            found = [p for p, init in candidates if os.path.isfile(os.path.join(self.root, p, init))][:1]
            if not found and kind != "hatchling":
                # the others take a namespace package (a directory without __init__.py) too
                found = [p for p in (norm, f"src/{norm}") if os.path.isdir(os.path.join(self.root, p))][:1]
        if not found and kind == "hatchling":
            self.fail_build(
                backend,
                hook,
                [
                    "ValueError: Unable to determine which files to ship inside the wheel using the following heuristics: "
                    "https://hatch.pypa.io/latest/plugins/builder/wheel/#default-file-selection",
                    "",
                    "The most likely cause of this is that there is no directory that matches the name of your project "
                    f"({norm}).",
                ],
            )
        if not found and kind in ("poetry", "flit"):
            self.fail_build(backend, hook, [f"ValueError: No file/folder found for package {norm}"])
        return found

    def install(self, env, editable):
        roots = self.package_roots(editable)
        meta = {
            "name": self.name,
            "version": self.version,
            "requires": self.meta.get("dependencies", []),
            "scripts": {**self.meta.get("scripts", {}), **self.meta.get("gui-scripts", {})},
        }
        before = installed(env).get(normalize(self.name))
        if before:
            uninstall(env, before[0])
        files = {}
        if editable:
            dirs = sorted({os.path.dirname(os.path.join(self.root, p)) for p in roots} or {self.root})
            files[f"_{module_name(self.name)}.pth"] = "".join(f"{d}\n" for d in dirs).encode()
        else:
            for rel in roots:
                source = os.path.join(self.root, rel)
                if os.path.isfile(source):
                    files[os.path.basename(rel)] = open(source, "rb").read()
                for path in glob.glob(os.path.join(source, "**", "*"), recursive=True):
                    if os.path.isfile(path) and "__pycache__" not in path:
                        target = os.path.join(os.path.basename(rel), os.path.relpath(path, source))
                        files[target] = open(path, "rb").read()
        url = {"url": f"file://{self.root}", "dir_info": {"editable": True} if editable else {}}
        write_dist(env, meta, files, direct_url=url)


class Workspace:
    """The project uv would find from `start` (the nearest pyproject.toml upward) and the
    workspace it is a member of, if any."""

    def __init__(self, start):
        directory = os.path.abspath(start)
        while not os.path.exists(os.path.join(directory, "pyproject.toml")):
            if directory == os.path.dirname(directory):
                raise Failure("error: No `pyproject.toml` found in current directory or any parent directory")
            directory = os.path.dirname(directory)
        self.current = Project(directory)
        self.root = self.current
        probe = os.path.dirname(directory)
        while probe != os.path.dirname(probe) and self.root is self.current:
            if os.path.exists(os.path.join(probe, "pyproject.toml")):
                candidate = Project(probe)
                if directory in candidate.member_roots():
                    self.root = candidate
            probe = os.path.dirname(probe)
        self.members = {normalize(p.name): p for p in map(Project, self.root.member_roots())}
        if "project" in self.root.toml:
            self.members.setdefault(normalize(self.root.name), self.root)
        if "project" not in self.current.toml and not self.current.member_roots():
            raise Failure(f"error: No `project` table found in: `{os.path.join(directory, 'pyproject.toml')}`")

    def lockfile(self):
        return os.path.join(self.root.root, "uv.lock")


def check_lock(workspace, frozen, locked, projects):
    lock = workspace.lockfile()
    if not (frozen or locked):
        return
    if not os.path.exists(lock):
        raise Failure(
            f"error: Unable to find lockfile at `uv.lock`, but `{'--frozen' if frozen else '--locked'}` "
            "was provided. To create a lockfile, run `uv lock` or `uv sync` without the flag."
        )
    if not locked:
        return
    with open(lock, "rb") as f:
        packages = tomllib.load(f).get("package", [])
    listed = {normalize(p["name"]): p for p in packages}
    for project in projects:
        entry = listed.get(normalize(project.name))
        if not packages:
            continue
        declared = {normalize(parse_requirement(r)[0]) for r in project.meta.get("dependencies", [])}
        locked_names = {normalize(r["name"]) for r in (entry or {}).get("metadata", {}).get("requires-dist", [])}
        if entry is None or declared != locked_names:
            raise Failure(
                "error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided. "
                "To update the lockfile, run `uv lock`."
            )


# --- commands -----------------------------------------------------------------------------------


GLOBAL_VALUED = {"--cache-dir", "--color", "--directory", "--project", "--config-file", "--python-preference", "--allow-insecure-host"}
GLOBAL_FLAGS = {
    "-q", "--quiet", "-v", "--verbose", "-n", "--no-cache", "--offline", "--no-offline", "--no-progress",
    "--native-tls", "--no-config", "--no-python-downloads", "--allow-python-downloads",
    "--no-managed-python", "--managed-python", "--preview", "--no-preview", "--isolated", "-qq", "-vv",
}


def parse(args, valued, flags, positional_ok=False):
    """Options as uv's clap would read them: known flags, options with a value (`--x v` or
    `--x=v`), repeated ones collected; anything else is refused as uv refuses it."""
    options, positional = {}, []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in valued or name in GLOBAL_VALUED:
            if not eq:
                i += 1
                if i >= len(args):
                    raise Failure(f"error: a value is required for '{name} <{name.strip('-').upper()}>' but none was supplied")
                value = args[i]
            options.setdefault(name, []).append(value)
        elif arg in flags or arg in GLOBAL_FLAGS:
            options[arg] = True
        elif arg.startswith("-") and arg != "-":
            raise Failure(f"error: unexpected argument '{arg}' found\n\nUsage: uv [OPTIONS] <COMMAND>")
        elif positional_ok:
            positional.append(arg)
        else:
            raise Failure(f"error: unexpected argument '{arg}' found")
        i += 1
    return options, positional


def apply_globals(options):
    global QUIET
    QUIET = bool(options.get("-q") or options.get("--quiet") or options.get("-qq"))
    if "--directory" in options:
        os.chdir(options["--directory"][-1])
    preference = (options.get("--python-preference") or [os.environ.get("UV_PYTHON_PREFERENCE", "")])[-1]
    if preference == "only-managed" or options.get("--managed-python"):
        raise Failure(
            "error: No interpreter found in managed installations, and the stand-in cannot download one "
            "(the tests have no network)"
        )


SYNC_VALUED = {
    "--package", "--extra", "--group", "--no-group", "--only-group", "--python", "-p", "--link-mode",
    "--index-url", "-i", "--default-index", "--index", "--extra-index-url", "--find-links", "-f",
    "--no-install-package", "--upgrade-package", "-P", "--reinstall-package", "--python-platform",
    "--resolution", "--prerelease", "--index-strategy", "--keyring-provider", "--config-setting", "-C",
    "--exclude-newer", "--output-format", "--no-binary-package", "--no-build-package", "--script",
}
SYNC_FLAGS = {
    "--frozen", "--locked", "--no-dev", "--dev", "--only-dev", "--no-install-project",
    "--no-install-workspace", "--no-install-local", "--all-packages", "--no-editable", "--editable",
    "--inexact", "--exact", "--all-extras", "--no-extra", "--no-default-groups", "--all-groups",
    "--compile-bytecode", "--no-compile-bytecode", "--no-build-isolation", "--active", "--no-active",
    "--no-sources", "--refresh", "--upgrade", "-U", "--check", "--dry-run", "--no-binary", "--no-build",
    "--reinstall", "--no-sync", "--no-install-local",
}


def conflicts(options, *pairs):
    for a, b in pairs:
        if options.get(a) and options.get(b):
            raise Failure(f"error: the argument '{a}' cannot be used with '{b}'")


def cmd_sync(args):
    options, _ = parse(args, SYNC_VALUED, SYNC_FLAGS)
    apply_globals(options)
    conflicts(options, ("--frozen", "--locked"), ("--dev", "--no-dev"), ("--package", "--all-packages"))
    global COMPILE
    COMPILE = bool(options.get("--compile-bytecode"))
    frozen = bool(options.get("--frozen")) or (env_flag("UV_FROZEN") and not options.get("--locked"))
    locked = bool(options.get("--locked")) or (env_flag("UV_LOCKED") and not frozen)
    no_dev = bool(options.get("--no-dev")) or (env_flag("UV_NO_DEV") and not options.get("--dev"))
    start = (options.get("--project") or ["."])[-1]
    workspace = Workspace(start)
    index = Index()
    if options.get("--package"):
        name = options["--package"][-1]
        if normalize(name) not in workspace.members:
            raise Failure(f"error: Package `{name}` not found in workspace")
        targets = [workspace.members[normalize(name)]]
    elif options.get("--all-packages") or "project" not in workspace.current.toml:
        targets = list(workspace.members.values())
    else:
        targets = [workspace.current]
    check_lock(workspace, frozen, locked, [workspace.root] if "project" in workspace.root.toml else targets)
    location = os.environ.get("UV_PROJECT_ENVIRONMENT") or ".venv"
    env = project_environment(os.path.join(workspace.root.root, location))
    plan = Plan(index, workspace.members)
    no_install = bool(options.get("--no-install-workspace") or options.get("--no-install-local"))
    extras = ["*"] if options.get("--all-extras") else options.get("--extra", [])
    for target in targets:
        install = not no_install and not options.get("--no-install-project")
        plan.add_project(target, editable=not options.get("--no-editable"), install=install, extras=extras)
        groups = [] if (no_dev and not options.get("--only-dev")) else (["dev"] if target.has_group("dev") else [])
        if options.get("--only-group"):
            groups = options["--only-group"]
        groups += options.get("--group", [])
        if options.get("--all-groups"):
            groups = list(target.toml.get("dependency-groups", {}))
        for group in groups:
            if group not in options.get("--no-group", []):
                for requirement in target.group(group):
                    plan.add(requirement)
    if no_install:
        plan.projects = {root: None for root in plan.projects}
    if options.get("--no-editable"):
        plan.projects = {root: (False if e is not None else None) for root, e in plan.projects.items()}
    apply(plan, env, exact=not options.get("--inexact"))
    return 0


PIP_VALUED = {
    "-r", "--requirements", "--requirement", "-e", "--editable", "-c", "--constraints", "--constraint",
    "--overrides", "--python", "-p", "--target", "--prefix", "--index-url", "-i", "--extra-index-url",
    "--default-index", "--index", "--find-links", "-f", "--link-mode", "--python-version",
    "--python-platform", "--index-strategy", "--keyring-provider", "--config-setting", "-C",
    "--no-binary", "--only-binary", "--resolution", "--prerelease", "--exclude-newer", "--group",
    "--extra", "--upgrade-package", "-P", "--reinstall-package", "--no-build-package", "--build-constraints", "-b",
}
PIP_FLAGS = {
    "--system", "--no-system", "--break-system-packages", "--no-break-system-packages", "--no-deps",
    "--upgrade", "-U", "--reinstall", "--force-reinstall", "--compile-bytecode", "--no-compile-bytecode",
    "--no-build-isolation", "--require-hashes", "--no-verify-hashes", "--strict", "--dry-run",
    "--all-extras", "--no-build", "--user", "--exact", "--refresh", "--no-sources", "--compile",
}


def requirement_lines(path, seen=()):
    if not os.path.exists(path):
        raise Failure(f"error: File not found: `{path}`")
    out = []
    for raw in open(path, encoding="utf-8"):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ", "-r", "--requirement=")):
            nested = re.sub(r"^(-r|--requirement)[ =]?", "", line).strip()
            out += requirement_lines(os.path.join(os.path.dirname(path), nested), (*seen, path))
        elif line.startswith(("-e ", "--editable ")):
            out.append(("editable", line.split(None, 1)[1]))
        elif line.startswith("-"):
            continue
        else:
            out.append(("requirement", line.split(" --hash", 1)[0].strip().rstrip("\\").strip()))
    return out


def is_path(spec):
    return spec.startswith((".", "/", "file:")) or os.path.isdir(spec)


def pip_environment(options):
    if options.get("--target"):
        target = os.path.abspath(options["--target"][-1])
        return Environment(target, target, os.path.join(target, "bin"), base_python(), False)
    python = (options.get("--python") or options.get("-p") or [None])[-1]
    system = (options.get("--system") or env_flag("UV_SYSTEM_PYTHON")) and not options.get("--no-system")
    if python:
        if os.path.isdir(python):
            return Environment.venv(python)
        executable = shutil.which(python) or python
        cfg = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(executable))), "pyvenv.cfg")
        if os.path.exists(cfg):
            return Environment.venv(os.path.dirname(cfg))
        return Environment.system(executable)
    if system:
        say(f"Using Python {'.'.join(map(str, sys.version_info[:3]))} environment at: {sys.base_prefix}")
        return Environment.system()
    candidates = [os.environ.get("VIRTUAL_ENV"), os.environ.get("CONDA_PREFIX")]
    directory = os.getcwd()
    while True:
        candidates.append(os.path.join(directory, ".venv"))
        if directory == os.path.dirname(directory):
            break
        directory = os.path.dirname(directory)
    for candidate in candidates:
        if candidate and os.path.exists(os.path.join(candidate, "pyvenv.cfg")):
            say(f"Using Python {'.'.join(map(str, sys.version_info[:3]))} environment at: {candidate}")
            return Environment.venv(candidate)
    raise Failure(
        "error: No virtual environment found; run `uv venv` to create an environment, or pass "
        "`--system` to install into a non-virtual environment"
    )


def cmd_pip(args):
    if not args or args[0] not in ("install", "sync"):
        raise Failure(f"uv (stand-in): `uv pip {' '.join(args[:1])}` is not stood in for (install and sync are)")
    options, positional = parse(args[1:], PIP_VALUED, PIP_FLAGS, positional_ok=True)
    apply_globals(options)
    global COMPILE
    COMPILE = bool(options.get("--compile-bytecode") or options.get("--compile"))
    wanted = []
    for path in options.get("-r", []) + options.get("--requirements", []) + options.get("--requirement", []):
        wanted += requirement_lines(path)
    if args[0] == "sync":
        wanted += [entry for path in positional for entry in requirement_lines(path)]
    else:
        wanted += [("requirement", spec) for spec in positional]
    wanted += [("editable", spec) for spec in options.get("-e", []) + options.get("--editable", [])]
    if not wanted:
        raise Failure("error: the following required arguments were not provided:\n  <PACKAGE|--requirements <REQUIREMENTS>|--editable <EDITABLE>>")
    env = pip_environment(options)
    plan = Plan(Index())
    no_deps = bool(options.get("--no-deps"))
    for kind, spec in wanted:
        if kind == "editable" or is_path(spec):
            path = spec.removeprefix("file://")
            plan.add_project(Project(path), editable=kind == "editable", no_deps=no_deps)
        else:
            plan.add(spec, no_deps=no_deps)
    apply(plan, env, exact=args[0] == "sync")
    return 0


def cmd_venv(args):
    options, positional = parse(
        args,
        {"--python", "-p", "--prompt", "--index-url", "--link-mode", "--index-strategy"},
        {"--seed", "--allow-existing", "--clear", "--system-site-packages", "--relocatable", "--no-project"},
        positional_ok=True,
    )
    apply_globals(options)
    if options.get("--seed"):
        raise Failure("uv (stand-in): `uv venv --seed` is not stood in for (no pip to seed from an index here)")
    path = positional[0] if positional else os.environ.get("UV_PROJECT_ENVIRONMENT") or ".venv"
    say(f"Using CPython {'.'.join(map(str, sys.version_info[:3]))} interpreter at: {base_python()}")
    say(f"Creating virtual environment at: {path}")
    write_venv(path, clear=not options.get("--allow-existing"))
    say(f"Activate with: source {path}/bin/activate")
    return 0


def cmd_export(args):
    options, _ = parse(
        args,
        SYNC_VALUED | {"--format", "-o", "--output-file"},
        SYNC_FLAGS | {"--no-hashes", "--no-header", "--no-emit-project", "--no-emit-workspace", "--emit-project", "--no-annotate"},
    )
    apply_globals(options)
    conflicts(options, ("--frozen", "--locked"))
    frozen = bool(options.get("--frozen")) or env_flag("UV_FROZEN")
    locked = bool(options.get("--locked")) or env_flag("UV_LOCKED")
    no_dev = bool(options.get("--no-dev")) or env_flag("UV_NO_DEV")
    workspace = Workspace((options.get("--project") or ["."])[-1])
    check_lock(workspace, frozen, locked, [workspace.current])
    versions = {}
    if os.path.exists(workspace.lockfile()):
        with open(workspace.lockfile(), "rb") as f:
            versions = {normalize(p["name"]): p.get("version") for p in tomllib.load(f).get("package", [])}
    index = Index()
    plan = Plan(index, workspace.members)
    plan.add_project(workspace.current, editable=True)
    if not no_dev and workspace.current.has_group("dev"):
        for requirement in workspace.current.group("dev"):
            plan.add(requirement)
    lines = [] if options.get("--no-header") else ["# This file was autogenerated by the uv stand-in of the tests (NOT uv)"]
    for key in plan.dists:
        version = versions.get(key) or index.get(key)[0]["version"]
        lines.append(f"{key}=={version}")
    if workspace.current.packaged and not options.get("--no-emit-project"):
        lines.append("-e .")
    text = "\n".join(lines) + "\n"
    output = (options.get("-o") or options.get("--output-file") or [None])[-1]
    if output:
        with open(output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


def refuse(message):
    raise Failure(f"uv (stand-in, NOT uv): {message}")


def main(argv):
    args = list(argv)
    globals_only = []
    while args and args[0].startswith("-") and args[0] not in ("--version", "-V", "--help", "-h"):
        globals_only.append(args.pop(0))
        name = globals_only[-1].partition("=")[0]
        if name in GLOBAL_VALUED and "=" not in globals_only[-1] and args:
            globals_only.append(args.pop(0))
    command, rest = (args[0], args[1:]) if args else ("help", [])
    if command == "pip":
        return cmd_pip(rest[:1] + globals_only + rest[1:])
    rest = globals_only + rest
    if command in ("--version", "-V") or (command == "self" and rest[-1:] == ["version"]):
        print(f"uv {VERSION} (stand-in for the tests, NOT uv)")
        return 0
    if command in ("help", "--help", "-h"):
        print(__doc__)
        return 0
    if command == "sync":
        return cmd_sync(rest)
    if command == "venv":
        return cmd_venv(rest)
    if command == "export":
        return cmd_export(rest)
    if command == "cache":
        return 0
    if command == "lock":
        options, _ = parse(rest, SYNC_VALUED, SYNC_FLAGS)
        apply_globals(options)
        if options.get("--check") or options.get("--locked"):
            workspace = Workspace((options.get("--project") or ["."])[-1])
            check_lock(workspace, False, True, [workspace.current])
            return 0
        refuse("`uv lock` cannot resolve here (no index is reachable); `uv lock --check` is stood in for")
    if command == "run":
        refuse(
            "`uv run` is not stood in for: a migrated image must start its command without uv "
            "(the venv's bin on PATH), and its build must not need `uv run` either"
        )
    if command == "python":
        if rest[:1] == ["find"]:
            print(base_python())
            return 0
        refuse(f"`uv python {' '.join(rest[:1])}`: no Python can be downloaded in the tests; the image's python3 is the only one")
    refuse(f"`uv {command}` is not stood in for")


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as e:
        print(str(e), file=sys.stderr)
        sys.exit(e.code)
