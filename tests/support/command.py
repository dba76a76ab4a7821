"""Run a command-line tool from a test that also hosts nameko containers.

Under eventlet, `subprocess.run` reads its pipes (even the one it uses to report a
failed exec) through the hub; a file number freed by a closed socket and reused for a
pipe then trips eventlet's "Second simultaneous read on fileno". Files instead of pipes,
and the call in an OS thread of its own (with a hub of its own), keep the tests' hub out
of it, while that hub goes on serving the containers the command may call.
"""

import subprocess
import tempfile

from eventlet import tpool


def run_command(args: list[str], env: dict, input_text: str = "",
                timeout: float = 120) -> subprocess.CompletedProcess:
    return tpool.execute(_run, args, env, input_text, timeout)


def _run(args: list[str], env: dict, input_text: str,
         timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryFile("w+") as stdin, tempfile.TemporaryFile("w+") as stdout, \
            tempfile.TemporaryFile("w+") as stderr:
        stdin.write(input_text)
        stdin.seek(0)
        process = subprocess.run(args, env=env, stdin=stdin, stdout=stdout, stderr=stderr,
                                 timeout=timeout, check=False)
        stdout.seek(0)
        stderr.seek(0)
        return subprocess.CompletedProcess(args, process.returncode, stdout.read(), stderr.read())
