"""NOT Poetry. The stand-in for Poetry in the tests, which have no package index: real Poetry
asks PyPI for every locked package's files (pip's `no-index`/`find-links` do not reach it) and
checks them against the hashes in poetry.lock, which are the real files', not the stand-ins'.

Installed by `pip install poetry==X` from the stand-in wheels (test/helpers/stand-in-wheels.ts),
it behaves as the Poetry of its wheel's version (1.x or 2.x) does to an image's files, for the
commands Dockerfiles use, with the image's own pip (which gets the stand-in wheels), and no more:

- `poetry install` reads pyproject.toml and poetry.lock as Poetry does: it refuses a lock whose
  `content-hash` is not the pyproject's (Poetry's algorithm, 1.x and 2.x; before 1.8 only a
  warning), one of a newer major lock-version, and a missing lock (locking needs an index). The
  groups are Poetry's: main and every non-optional group unless `--only`/`--without` (`--with`
  adds optional ones; `--no-dev` is `--without dev` on 1.x and an unknown option on 2.x; an
  unknown group fails); `--no-root` and `--only-root` as Poetry has them. The packages installed
  are those the groups' dependencies reach through the lock (a dependency the lock does not hold
  fails version solving, as in Poetry), each `pip install --no-deps name==version`. Hashes are
  not checked (see above).
- The environment is Poetry's: an active `VIRTUAL_ENV`; else with `virtualenvs.create` false
  the environment this runs in (the system Python, where `pip install poetry` put it); else
  `.venv` beside pyproject.toml when `virtualenvs.in-project` is true (or unset and `.venv`
  exists); else `{virtualenvs.path}/<name>-<hash>-pyX.Y`. Settings come from
  `POETRY_VIRTUALENVS_*`/`POETRY_CACHE_DIR`, then poetry.toml, then `poetry config`'s
  config.toml. A venv is made with `python -m venv` (pip included, as Poetry seeds it).
- The project itself (unless `--no-root`, or `package-mode = false`) is installed editable as
  poetry-core does it: a `.pth` naming the directory its packages are found in (`packages`, else
  the module named after the project, at the root or under `src/`: none is an error), a
  dist-info, and its console scripts (`[tool.poetry.scripts]`, `[project.scripts]`) in the
  environment's `bin` with a shebang to its python.
- `poetry sync` and `install --sync` also remove what the lock does not select; `poetry export`
  (1.x, or 2.x with poetry-plugin-export installed) writes the selected pins (without hashes,
  for the reason above); `poetry run`, `poetry check`, `poetry config`, `poetry env info -p`,
  `--version`. `lock`, `add`, `update`, `self` and other resolving commands fail loudly.
"""
import base64
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

TRUE = {"1", "true", "yes", "y", "on"}


class Failure(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def say(message):
    print(message, file=sys.stderr, flush=True)


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def module_name(name):
    return re.sub(r"[-.]+", "_", name).lower()


def version():
    """The version of the wheel this was installed from, else the source tree's dist.toml."""
    here = os.path.dirname(os.path.abspath(__file__))
    for meta in glob.glob(os.path.join(os.path.dirname(here), "poetry-*.dist-info", "METADATA")):
        found = re.search(r"^Version: (.+)$", open(meta).read(), re.M)
        if found:
            return found.group(1).strip()
    with open(os.path.join(os.path.dirname(here), "dist.toml"), "rb") as f:
        return tomllib.load(f)["version"]


VERSION = version()
RELEASE = tuple(int(x) for x in re.findall(r"\d+", VERSION.split("+")[0])[:2])
MAJOR = RELEASE[0]


def plugin_installed(name):
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        distribution(name)
        return True
    except PackageNotFoundError:
        return False


# --- configuration ------------------------------------------------------------------------------


def config_dir():
    return os.environ.get("POETRY_CONFIG_DIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"), "pypoetry"
    )


def read_toml(path):
    if not os.path.isfile(path):
        return {}
    with open(path, "rb") as f:
        return tomllib.load(f)


def flatten(table, prefix=""):
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def write_toml(path, flat):
    sections = {}
    for key, value in sorted(flat.items()):
        section, _, name = key.rpartition(".")
        sections.setdefault(section, {})[name] = value
    lines = []
    for section, values in sections.items():
        if section:
            lines.append(f"[{section}]")
        for name, value in values.items():
            lines.append(f"{name} = {json.dumps(value)}")
        lines.append("")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines))


def as_value(text):
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return text


def setting(key, root=None):
    """A setting as Poetry reads it: the environment, then poetry.toml, then config.toml."""
    env = "POETRY_" + re.sub(r"[.-]", "_", key).upper()
    if env in os.environ:
        return as_value(os.environ[env])
    if root:
        local = flatten(read_toml(os.path.join(root, "poetry.toml")))
        if key in local:
            return local[key]
    return flatten(read_toml(os.path.join(config_dir(), "config.toml"))).get(key)


def cache_dir(root=None):
    return setting("cache-dir", root) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "pypoetry"
    )


# --- the project --------------------------------------------------------------------------------


def parse_pep508(text):
    """`name[extras] spec ; marker` -> (name, extras, constraint, marker)."""
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;]*)(?:;(.*))?$", text)
    if not match:
        raise Failure(f"Invalid requirement: {text}")
    extras = [e.strip() for e in (match.group(2) or "").split(",") if e.strip()]
    return match.group(1), extras, match.group(3).strip().strip("()") or "*", (match.group(4) or "").strip()


class Dependency:
    def __init__(self, name, constraint="*", extras=(), optional=False, marker=""):
        self.name, self.constraint, self.extras, self.optional, self.marker = (
            name,
            constraint,
            list(extras),
            optional,
            marker,
        )

    @classmethod
    def poetry(cls, name, spec):
        """The entries of Poetry's own dependency tables (a constraint, a table, or a list of them)."""
        specs = spec if isinstance(spec, list) else [spec]
        out = []
        for one in specs:
            if isinstance(one, str):
                out.append(cls(name, one))
            else:
                constraint = one.get("version") or one.get("path") or one.get("git") or one.get("url") or "*"
                out.append(cls(name, constraint, one.get("extras", []), one.get("optional", False), one.get("markers", "")))
        return out


class Project:
    def __init__(self, root):
        self.root = root
        self.pyproject = read_toml(os.path.join(root, "pyproject.toml"))
        self.tool = self.pyproject.get("tool", {}).get("poetry")
        self.project = self.pyproject.get("project", {})
        self.lockfile = os.path.join(root, "poetry.lock")
        self.validate()

    @classmethod
    def find(cls, directory=None):
        here = os.path.abspath(directory or os.getcwd())
        while True:
            if os.path.isfile(os.path.join(here, "pyproject.toml")):
                return cls(here)
            parent = os.path.dirname(here)
            if parent == here:
                raise Failure(
                    f"Poetry could not find a pyproject.toml file in {os.path.abspath(directory or os.getcwd())} or its parents"
                )
            here = parent

    def validate(self):
        path = os.path.join(self.root, "pyproject.toml")
        if MAJOR < 2:
            if self.tool is None:
                raise Failure(f"[tool.poetry] section not found in {path}")
            missing = [k for k in ("name", "version", "description", "authors") if k not in self.tool]
            if self.package_mode and missing:
                raise Failure(
                    "The Poetry configuration is invalid:\n"
                    + "\n".join(f"  - '{k}' is a required property" for k in missing)
                )
        elif self.package_mode and not self.name:
            raise Failure(
                "The Poetry configuration is invalid:\n  - Either [project.name] or [tool.poetry.name] is required in package mode."
            )

    @property
    def package_mode(self):
        return (self.tool or {}).get("package-mode", True)

    @property
    def name(self):
        if MAJOR >= 2 and self.project.get("name"):
            return self.project["name"]
        return (self.tool or {}).get("name", "")

    @property
    def version(self):
        if MAJOR >= 2 and self.project.get("version"):
            return self.project["version"]
        return (self.tool or {}).get("version", "0.0.0")

    # --- content hash: what poetry.lock's metadata.content-hash is computed from ---

    LEGACY = ["dependencies", "source", "extras", "dev-dependencies"]
    RELEVANT = LEGACY + ["group"]
    PROJECT_RELEVANT = ["requires-python", "dependencies", "optional-dependencies"]

    def content_hash(self):
        tool = self.tool or {}
        project = {}
        if MAJOR >= 2:
            project = {k: self.project[k] for k in self.PROJECT_RELEVANT if self.project.get(k) is not None}
        poetry = {}
        for key in self.RELEVANT:
            data = tool.get(key)
            if data is None and (key not in self.LEGACY or project):
                continue
            poetry[key] = data
        if project:
            content = {"project": project, "tool": {"poetry": poetry}}
            groups = self.pyproject.get("dependency-groups")
            if groups:
                content["dependency-groups"] = groups
        else:
            content = poetry
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    # --- groups ---

    def groups(self):
        """{group: (optional, [Dependency])}, main first."""
        tool = self.tool or {}
        main = []
        if MAJOR >= 2 and "dependencies" in self.project:
            for text in self.project["dependencies"]:
                name, extras, constraint, marker = parse_pep508(text)
                main.append(Dependency(name, constraint, extras, marker=marker))
        else:
            for name, spec in tool.get("dependencies", {}).items():
                if name.lower() != "python":
                    main += Dependency.poetry(name, spec)
        out = {"main": (False, main)}
        if "dev-dependencies" in tool:
            out["dev"] = (False, [d for n, s in tool["dev-dependencies"].items() for d in Dependency.poetry(n, s)])
        for group, table in tool.get("group", {}).items():
            deps = [d for n, s in table.get("dependencies", {}).items() for d in Dependency.poetry(n, s)]
            optional, existing = out.get(group, (False, []))
            out[group] = (table.get("optional", optional), existing + deps)
        if MAJOR >= 2:
            for group, items in self.pyproject.get("dependency-groups", {}).items():
                deps = []
                for item in items:
                    if isinstance(item, str):
                        name, extras, constraint, marker = parse_pep508(item)
                        deps.append(Dependency(name, constraint, extras, marker=marker))
                optional, existing = out.get(group, (False, []))
                out[group] = (optional, existing + deps)
        return out

    def extras(self):
        tool = self.tool or {}
        out = {normalize(k): [normalize(n) for n in v] for k, v in tool.get("extras", {}).items()}
        if MAJOR >= 2:
            for extra, items in self.project.get("optional-dependencies", {}).items():
                out.setdefault(normalize(extra), []).extend(normalize(parse_pep508(i)[0]) for i in items)
        return out

    def optional_dependencies(self):
        """Dependencies installed only with an extra: [project.optional-dependencies] on 2.x."""
        out = []
        if MAJOR >= 2:
            for extra, items in self.project.get("optional-dependencies", {}).items():
                for item in items:
                    name, extras, constraint, marker = parse_pep508(item)
                    out.append(Dependency(name, constraint, extras, optional=True, marker=marker))
        return out

    # --- the lock ---

    def lock(self):
        if not os.path.isfile(self.lockfile):
            return None
        with open(self.lockfile, "rb") as f:
            try:
                return tomllib.load(f)
            except tomllib.TOMLDecodeError as error:
                raise Failure(f"Unable to read the lock file ({error}).")

    def checked_lock(self):
        lock = self.lock()
        if lock is None:
            raise Failure(
                "poetry.lock was not found.\n"
                "poetry (stand-in, NOT Poetry): locking resolves against a package index, which the tests do not have"
            )
        metadata = lock.get("metadata", {})
        lock_version = str(metadata.get("lock-version", "1.0"))
        supported = "2.1" if MAJOR >= 2 else "2.0"
        have, can = [int(x) for x in lock_version.split(".")[:2]], [int(x) for x in supported.split(".")]
        if have[0] > can[0]:
            raise Failure(
                "The lock file is not compatible with the current version of Poetry.\n"
                "Upgrade Poetry to be able to read the lock file or, alternatively, regenerate the lock file with the `poetry lock` command."
            )
        if have > can:
            say(
                "The lock file might not be compatible with the current version of Poetry.\n"
                "Upgrade Poetry to ensure the lock file is read properly or, alternatively, regenerate the lock file with the `poetry lock` command."
            )
        if metadata.get("content-hash") != self.content_hash() and RELEASE < (1, 8):
            say(
                "Warning: poetry.lock is not consistent with pyproject.toml. You may be getting improper dependencies. "
                "Run `poetry lock [--no-update]` to fix it."
            )
        elif metadata.get("content-hash") != self.content_hash():
            fix = "`poetry lock`" if MAJOR >= 2 else "`poetry lock [--no-update]`"
            raise Failure(
                f"pyproject.toml changed significantly since poetry.lock was last generated. Run {fix} to fix the lock file."
            )
        return lock


# --- markers ------------------------------------------------------------------------------------


def marker_holds(marker, extras=()):
    """A PEP 508 marker, evaluated by pip's own packaging (every image with pip has it)."""
    if not marker:
        return True
    try:
        from pip._vendor.packaging.markers import Marker
    except ImportError:
        return True
    try:
        parsed = Marker(marker)
    except Exception:
        return True
    if "extra" not in marker:
        return parsed.evaluate()
    return any(parsed.evaluate({"extra": e}) for e in (list(extras) or [""]))


# --- selection ----------------------------------------------------------------------------------


def selected_groups(project, options):
    groups = project.groups()
    known = set(groups)

    def names(option):
        return [g.strip() for v in options.get(option, []) for g in v.split(",") if g.strip()]

    only, with_, without = names("--only"), names("--with"), names("--without")
    if options.get("--no-dev"):
        without.append("dev")
    for option, wanted in (("--only", only), ("--with", with_), ("--without", without)):
        unknown = sorted({g for g in wanted if g not in known and g != "main"})
        if unknown:
            raise Failure(f"Group(s) not found: {', '.join(unknown)} (via {option})")
    if options.get("--all-groups"):
        return list(known)
    if only:
        return [g for g in known if g in only]
    chosen = [g for g, (optional, _) in groups.items() if not optional or g in with_]
    return [g for g in chosen if g not in without]


def requested_extras(project, options):
    if options.get("--all-extras"):
        return set(project.extras())
    wanted = {normalize(e) for v in options.get("--extras", []) for e in re.split(r"[ ,]+", v) if e}
    unknown = sorted(wanted - set(project.extras()))
    if unknown:
        raise Failure(f"Extra [{', '.join(unknown)}] is not specified.")
    return wanted


def resolve(project, lock, groups, extras):
    """The locked packages the groups' dependencies reach, as Poetry's solver walks the lock."""
    locked = {}
    for package in lock.get("package", []):
        locked.setdefault(normalize(package["name"]), []).append(package)
    all_groups = project.groups()
    extra_names = {n for e in extras for n in project.extras().get(e, [])}
    roots = [d for g in groups for d in all_groups[g][1]]
    roots += [d for d in project.optional_dependencies() if normalize(d.name) in extra_names]
    chosen, queue = {}, [(project.name or "the project", d) for d in roots]
    while queue:
        parent, dep = queue.pop(0)
        key = normalize(dep.name)
        if dep.optional and key not in extra_names:
            continue
        if not marker_holds(dep.marker, extras):
            continue
        candidates = [p for p in locked.get(key, []) if marker_holds(package_marker(p))]
        if not candidates:
            raise Failure(
                f"Because {parent} depends on {dep.name} ({dep.constraint}) which doesn't match any versions, version solving failed."
            )
        package = candidates[0]
        if key in chosen:
            continue
        chosen[key] = package
        wanted_extras = {normalize(e) for e in dep.extras}
        reached = {normalize(n.split()[0]) for e, names in package.get("extras", {}).items() if normalize(e) in wanted_extras for n in names}
        for name, spec in package.get("dependencies", {}).items():
            for sub in Dependency.poetry(name, spec):
                if sub.optional and normalize(sub.name) not in reached:
                    continue
                sub.optional = False
                queue.append((f"{package['name']} ({package['version']})", sub))
    return chosen


def package_marker(package):
    marker = package.get("markers", "")
    if isinstance(marker, dict):
        marker = " or ".join(f"({m})" for m in marker.values() if m) if all(marker.values()) else ""
    return marker


def requirement_of(package, root):
    source = package.get("source", {})
    kind = source.get("type", "")
    if kind in ("git", "url", "hg"):
        raise Failure(
            f"poetry (stand-in, NOT Poetry): {package['name']} comes from {kind} ({source.get('url')}), which the tests cannot reach"
        )
    if kind in ("directory", "file"):
        path = os.path.normpath(os.path.join(root, source.get("url", "")))
        return ["-e", path] if package.get("develop") else [path]
    return [f"{package['name']}=={package['version']}"]


# --- environments -------------------------------------------------------------------------------


def base_python():
    return getattr(sys, "_base_executable", None) or sys.executable


def python_version():
    return "%d.%d" % sys.version_info[:2]


class Environment:
    def __init__(self, root, python, virtual):
        self.root, self.python, self.virtual = root, python, virtual

    def paths(self):
        return json.loads(
            subprocess.run(
                [self.python, "-c", "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )

    def site(self):
        return self.paths()["purelib"]

    def bin(self):
        return self.paths()["scripts"]


def environment(project, create=True):
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        return Environment(active, os.path.join(active, "bin", "python"), True)
    if setting("virtualenvs.create", project.root) is False:
        # The environment Poetry itself runs in: the system Python when pip installed it there.
        return Environment(sys.prefix, sys.executable, False)
    in_project = setting("virtualenvs.in-project", project.root)
    dot = os.path.join(project.root, ".venv")
    if in_project is True or (in_project is None and os.path.isdir(dot)):
        location = dot
    else:
        home = setting("virtualenvs.path", project.root) or os.path.join(cache_dir(project.root), "virtualenvs")
        name = re.sub(r'[ $`!*@"\\\r\n\t]', "_", project.name.lower())[:42] or "project"
        digest = base64.urlsafe_b64encode(hashlib.sha256(project.root.encode()).digest()).decode()[:8]
        location = os.path.join(home, f"{name}-{digest}-py{python_version()}")
    python = os.path.join(location, "bin", "python")
    if not os.path.exists(python):
        if not create:
            raise Failure(f"The virtual environment of {project.name} has not been created yet.")
        say(f"Creating virtualenv {project.name} in {location}")
        if subprocess.run([base_python(), "-m", "venv", location]).returncode != 0:
            raise Failure(f"Creating the virtual environment {location} failed.")
    return Environment(location, python, True)


def installed(env):
    """{normalized name: version} of what pip sees in the environment."""
    out = subprocess.run(
        [env.python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return {}
    return {normalize(p["name"]): p["version"] for p in json.loads(out.stdout)}


def pip(env, *args):
    if subprocess.run([env.python, "-m", "pip", *args]).returncode != 0:
        raise Failure(f"pip {args[0]} failed in {env.root} (see above)")


# --- the project's own install (poetry-core's editable build) ----------------------------------


def package_dirs(project):
    """The directories that go on sys.path for the project's packages, as poetry-core finds them."""
    tool = project.tool or {}
    declared = tool.get("packages")
    dirs = []
    if declared:
        for entry in declared:
            base = os.path.join(project.root, entry.get("from", ""))
            if not glob.glob(os.path.join(base, entry["include"])):
                raise Failure(f"{os.path.join(base, entry['include'])} does not contain any element")
            dirs.append(os.path.normpath(base))
    else:
        module = module_name(project.name)
        for base in (project.root, os.path.join(project.root, "src")):
            if os.path.isdir(os.path.join(base, module)) or os.path.isfile(os.path.join(base, f"{module}.py")):
                dirs.append(base)
                break
        else:
            raise Failure(f"No file/folder found for package {project.name}")
    return list(dict.fromkeys(dirs))


def project_scripts(project):
    scripts = {}
    for name, spec in (project.tool or {}).get("scripts", {}).items():
        if isinstance(spec, str):
            scripts[name] = spec
        elif isinstance(spec, dict) and spec.get("type", "console") == "console":
            scripts[name] = spec.get("reference") or spec.get("callable")
    if MAJOR >= 2:
        scripts.update(project.project.get("scripts", {}))
    return {k: v for k, v in scripts.items() if v}


def install_root(project, env):
    dirs = package_dirs(project)
    site = env.site()
    dist = f"{module_name(project.name)}-{project.version}"
    say(f"Installing the current project: {project.name} ({project.version})")
    for old in glob.glob(os.path.join(site, f"{module_name(project.name)}-*.dist-info")):
        shutil.rmtree(old)
    info = os.path.join(site, f"{dist}.dist-info")
    os.makedirs(info, exist_ok=True)
    files = {}
    pth = os.path.join(site, f"{module_name(project.name)}.pth")
    with open(pth, "w") as f:
        f.write("".join(d + "\n" for d in dirs))
    files[pth] = True
    scripts = project_scripts(project)
    meta = f"Metadata-Version: 2.3\nName: {project.name}\nVersion: {project.version}\n"
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write(meta)
    with open(os.path.join(info, "INSTALLER"), "w") as f:
        f.write("poetry\n")
    with open(os.path.join(info, "direct_url.json"), "w") as f:
        json.dump({"dir_info": {"editable": True}, "url": f"file://{project.root}"}, f)
    if scripts:
        with open(os.path.join(info, "entry_points.txt"), "w") as f:
            f.write("[console_scripts]\n" + "".join(f"{k}={v}\n" for k, v in scripts.items()))
    os.makedirs(env.bin(), exist_ok=True)
    for name, reference in scripts.items():
        module, _, attr = reference.partition(":")
        path = os.path.join(env.bin(), name)
        with open(path, "w") as f:
            f.write(
                f"#!{env.python}\nimport sys\nfrom {module} import {attr.split('.')[0]}\n\n"
                f"if __name__ == '__main__':\n    sys.exit({attr}())\n"
            )
        os.chmod(path, 0o755)
        files[path] = True
    files.update({os.path.join(info, n): True for n in os.listdir(info)})
    with open(os.path.join(info, "RECORD"), "w") as f:
        f.write("".join(f"{os.path.relpath(p, site)},,\n" for p in files) + f"{dist}.dist-info/RECORD,,\n")


# --- commands -----------------------------------------------------------------------------------

GLOBAL_FLAGS = {"-n", "--no-interaction", "--no-ansi", "--ansi", "-q", "--quiet", "-v", "-vv", "-vvv", "--verbose", "--no-plugins", "--no-cache"}
GLOBAL_VALUED = {"-C", "--directory", "-P", "--project"}


def split_globals(args):
    """Poetry's global options may stand anywhere before `--`: out of the way of the command's."""
    rest, directory, i = [], None, 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        key = arg.split("=", 1)[0]
        if arg in GLOBAL_FLAGS:
            pass
        elif key in GLOBAL_VALUED:
            if "=" in arg:
                directory = arg.split("=", 1)[1]
            else:
                directory = args[i + 1] if i + 1 < len(args) else None
                i += 1
        else:
            rest.append(arg)
        i += 1
    return rest, directory


def parse(args, valued, flags):
    options, positional, i = {}, [], 0
    while i < len(args):
        arg = args[i]
        key = arg.split("=", 1)[0]
        if key in valued:
            if "=" in arg:
                value = arg.split("=", 1)[1]
            elif i + 1 < len(args):
                value = args[i + 1]
                i += 1
            else:
                raise Failure(f'The "{key}" option requires a value.')
            options.setdefault(valued[key], []).append(value)
        elif arg in flags:
            options[flags[arg]] = True
        elif arg.startswith("-"):
            raise Failure(f'The "{key}" option does not exist.')
        else:
            positional.append(arg)
        i += 1
    return options, positional


GROUP_OPTIONS = {"--with": "--with", "--without": "--without", "--only": "--only"}
EXTRA_OPTIONS = {"-E": "--extras", "--extras": "--extras"}


def install_options(sync=False):
    flags = {
        "--no-root": "--no-root",
        "--only-root": "--only-root",
        "--no-directory": "--no-directory",
        "--dry-run": "--dry-run",
        "--all-extras": "--all-extras",
        "--compile": "--compile",
    }
    if not sync:
        flags["--sync"] = "--sync"
    if MAJOR < 2:
        flags["--no-dev"] = "--no-dev"
    else:
        flags["--all-groups"] = "--all-groups"
    return {**GROUP_OPTIONS, **EXTRA_OPTIONS}, flags


def cmd_install(args, directory, sync=False):
    options, positional = parse(args, *install_options(sync))
    if positional:
        raise Failure(f'No arguments expected for "{"sync" if sync else "install"}" command, got "{positional[0]}"')
    if options.get("--no-dev"):
        say("The `--no-dev` option is deprecated, use the `--only main` notation instead.")
    if options.get("--no-root") and options.get("--only-root"):
        raise Failure("You cannot use `--no-root` and `--only-root` at the same time.")
    if options.get("--only-root") and any(options.get(o) for o in GROUP_OPTIONS):
        raise Failure("The `--with`, `--without` and `--only` options cannot be used with the `--only-root` option.")
    project = Project.find(directory)
    lock = project.checked_lock()
    if not options.get("--only-root"):
        chosen = resolve(project, lock, selected_groups(project, options), requested_extras(project, options))
    env = environment(project)
    if not options.get("--only-root"):
        say("Installing dependencies from lock file")
        have = installed(env)
        wanted = {k: p for k, p in chosen.items() if have.get(k) != p["version"]}
        keep = set(chosen) | {normalize(project.name), "pip", "setuptools", "wheel"}
        gone = sorted(k for k in have if k not in keep) if sync or options.get("--sync") else []
        say(f"\nPackage operations: {len(wanted)} install{'s' if len(wanted) != 1 else ''}, 0 updates, {len(gone)} removals\n")
        for key in gone:
            say(f"  - Removing {key} ({have[key]})")
        for package in wanted.values():
            say(f"  - Installing {package['name']} ({package['version']})")
        if options.get("--dry-run"):
            return 0
        if gone:
            pip(env, "uninstall", "-y", "--disable-pip-version-check", *gone)
        if wanted:
            args = [a for p in wanted.values() for a in requirement_of(p, project.root)]
            pip(env, "install", "--no-deps", "--disable-pip-version-check", "-q", *args)
    if options.get("--no-root") or options.get("--dry-run"):
        return 0
    if not project.package_mode:
        return 0
    install_root(project, env)
    if options.get("--compile"):
        subprocess.run([env.python, "-m", "compileall", "-q", env.site()])
    return 0


def cmd_export(args, directory):
    if MAJOR >= 2 and not plugin_installed("poetry-plugin-export"):
        raise Failure(
            'The requested command "export" does not exist.\n\n'
            "The command is provided by poetry-plugin-export, which Poetry 2 no longer installs."
        )
    valued = {**GROUP_OPTIONS, **EXTRA_OPTIONS, "-f": "--format", "--format": "--format", "-o": "--output", "--output": "--output"}
    flags = {f: f for f in ("--without-hashes", "--without-urls", "--with-credentials", "--all-extras", "--dev", "--all-groups")}
    options, _ = parse(args, valued, flags)
    fmt = (options.get("--format") or ["requirements.txt"])[-1]
    if fmt not in ("requirements.txt", "constraints.txt"):
        raise Failure(f"Invalid export format: {fmt}")
    if options.get("--dev"):
        options.setdefault("--with", []).append("dev")
    project = Project.find(directory)
    lock = project.checked_lock()
    chosen = resolve(project, lock, selected_groups(project, options), requested_extras(project, options))
    lines = []
    for key in sorted(chosen):
        package = chosen[key]
        line = " ".join(requirement_of(package, project.root))
        marker = package_marker(package)
        lines.append(f"{line} ; {marker}" if marker else line)
    text = "".join(line + "\n" for line in lines)
    output = (options.get("--output") or [None])[-1]
    if output:
        with open(os.path.join(os.getcwd(), output), "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_run(args, directory):
    if not args:
        raise Failure('Not enough arguments (missing: "args").')
    if args[0] == "--":
        args = args[1:]
    project = Project.find(directory)
    env = environment(project)
    path = env.bin() + os.pathsep + os.environ.get("PATH", "")
    variables = dict(os.environ, PATH=path)
    if env.virtual:
        variables["VIRTUAL_ENV"] = env.root
    found = shutil.which(args[0], path=path)
    if not found:
        raise Failure(f"Command not found: {args[0]}")
    os.execve(found, args, variables)


def cmd_check(args, directory):
    project = Project.find(directory)
    project.checked_lock()
    print("All set!")
    return 0


def cmd_config(args, directory):
    options, positional = parse(args, {}, {"--local": "--local", "--unset": "--unset", "--list": "--list"})
    root = Project.find(directory).root if options.get("--local") else None
    path = os.path.join(root, "poetry.toml") if root else os.path.join(config_dir(), "config.toml")
    flat = flatten(read_toml(path))
    if options.get("--list") or not positional:
        for key, value in sorted(flat.items()):
            print(f"{key} = {json.dumps(value)}")
        return 0
    key = positional[0]
    if options.get("--unset"):
        flat.pop(key, None)
    elif len(positional) == 1:
        value = setting(key, root)
        print(json.dumps(value) if value is not None else "null")
        return 0
    else:
        flat[key] = as_value(positional[1]) if len(positional) == 2 else positional[1:]
    write_toml(path, flat)
    return 0


def cmd_env(args, directory):
    if args[:1] == ["info"] and any(a in ("-p", "--path", "-e", "--executable") for a in args[1:]):
        env = environment(Project.find(directory), create=False)
        print(env.python if any(a in ("-e", "--executable") for a in args[1:]) else env.root)
        return 0
    refuse(f"env {' '.join(args)}")


def refuse(what):
    raise Failure(f"poetry (stand-in, NOT Poetry): `poetry {what}` resolves, downloads or changes the project, which the tests cannot do")


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if "--version" in args[:1] or "-V" in args[:1] or args[:2] == ["self", "version"]:
            print(f"Poetry (version {VERSION}) (stand-in for the tests, NOT Poetry)")
            return 0
        rest, directory = split_globals(args)
        if not rest or rest[0] in ("-h", "--help", "help", "list"):
            print(__doc__)
            return 0
        command, rest = rest[0], rest[1:]
        if command == "install":
            return cmd_install(rest, directory)
        if command == "sync" and MAJOR >= 2:
            return cmd_install(rest, directory, sync=True)
        if command == "export":
            return cmd_export(rest, directory)
        if command == "run":
            return cmd_run(rest, directory)
        if command == "check":
            return cmd_check(rest, directory)
        if command == "config":
            return cmd_config(rest, directory)
        if command == "env":
            return cmd_env(rest, directory)
        if command in ("lock", "add", "remove", "update", "self", "build", "publish", "new", "init", "show", "search", "source", "shell", "cache", "debug", "version"):
            refuse(command)
        raise Failure(f'The command "{command}" does not exist.')
    except Failure as failure:
        say(str(failure))
        return failure.code
