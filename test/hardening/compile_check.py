"""Checks that a source compiles, or fails to compile with a message.

    compile_check.py --expect-error MESSAGE -- COMPILER ARGS... SOURCE
    compile_check.py --expect-success -- COMPILER ARGS... SOURCE

Exit status 0 when the compiler did what was expected, 1 otherwise.
"""
import subprocess
import sys


def main(argv):
    sep = argv.index("--")
    opts, cmd = argv[1:sep], argv[sep + 1:]
    run = subprocess.run(cmd, capture_output=True, text=True)
    out = run.stdout + run.stderr
    if opts[0] == "--expect-success":
        if run.returncode != 0:
            print("expected a clean compile, got:\n" + out)
            return 1
        print("compiled, as expected")
        return 0
    message = opts[1]
    if run.returncode == 0:
        print("expected the compile to fail, it succeeded")
        return 1
    if message not in out:
        print("the compile failed, but without %r:\n%s" % (message, out))
        return 1
    print("refused at compile time with: %s" % message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
