#!/usr/bin/env python3
"""A/B of two builds' start-up, interleaved in one run with `node -e 0`.

    python3 bench/startupAB.py A B [runs] [--help]
    AB_NODE_ARGS_B="--min-semi-space-size=16" python3 bench/startupAB.py A A ...   (B: node flags)

A and B are folders holding bin/ and dist/ (a copy of a build under the worktree, e.g.
bench/out/ab/NAME, so that better-sqlite3 resolves from its node_modules). Each build has
its own cache folder (a build removes other builds' code caches) and its own log. Prints
wall and CPU time (user + sys of the child, from wait4: what a busy machine disturbs
least), medians and minimums, and each as a ratio to `node -e 0` of the same run.
Python, not Node: Node's child_process does not report a child's CPU time.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

args = [a for a in sys.argv[1:] if not a.startswith('--')]
a, b = os.path.abspath(args[0]), os.path.abspath(args[1])
runs = int(args[2]) if len(args) > 2 else 21
tmp = tempfile.mkdtemp(prefix='promise-ab-')
check = ['check', '--sku', 'PUMP-100', '--qty', '50', '--to', 'DE', '--by', '2026-12-04', '--now', '2026-11-23T10:00']
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def env_of(name):
    e = dict(os.environ, PROMISE_LOG=os.path.join(tmp, name + '.db'), XDG_CACHE_HOME=os.path.join(tmp, 'cache-' + name), NO_COLOR='1')
    return e

cases = {'node -e 0': (['node', '-e', '0'], dict(os.environ))}
for name, build in (('A', a), ('B', b)):
    node = ['node'] + os.environ.get('AB_NODE_ARGS_' + name, '').split()
    bin_ = os.path.join(build, 'bin', 'promise.js')
    cases[name + ' check (logged)'] = (node + [bin_] + check, env_of(name))
    cases[name + ' check --json --no-log'] = (node + [bin_] + check + ['--json', '--no-log'], env_of(name))
    if '--help' in sys.argv:
        cases[name + ' --help'] = (node + [bin_, '--help'], env_of(name))

def run(argv, env):
    t = time.perf_counter()
    p = subprocess.Popen(argv, env=env, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(); p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t) * 1000
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise SystemExit(f'{argv} exited {code}')
    return wall, (ru.ru_utime + ru.ru_stime) * 1000

for argv, env in cases.values():
    run(argv, env)  # cold: index, log, code caches
wall = {k: [] for k in cases}
cpu = {k: [] for k in cases}
for _ in range(runs):
    for k, (argv, env) in cases.items():
        w, c = run(argv, env)
        wall[k].append(w); cpu[k].append(c)
shutil.rmtree(tmp, ignore_errors=True)
bw, bc = statistics.median(wall['node -e 0']), statistics.median(cpu['node -e 0'])
bwm, bcm = min(wall['node -e 0']), min(cpu['node -e 0'])
print(f'{runs} runs; load average {os.getloadavg()[0]:.2f}')
print(f"{'case':28} {'wall med':>9} {'(x)':>6} {'wall min':>9} {'(x)':>6} {'cpu med':>8} {'(x)':>6} {'cpu min':>8} {'(x)':>6}")
for k in cases:
    wm, wn, cm, cn = statistics.median(wall[k]), min(wall[k]), statistics.median(cpu[k]), min(cpu[k])
    print(f'{k:28} {wm:9.1f} {wm/bw:6.2f} {wn:9.1f} {wn/bwm:6.2f} {cm:8.1f} {cm/bc:6.2f} {cn:8.1f} {cn/bcm:6.2f}')
