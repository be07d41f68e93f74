#!/usr/bin/env python3
"""Runs LossLang and its peers on the benchmark workloads and writes benchmarks/RESULTS.md.

One run, one machine, one session, workload by workload: LossLang (benchmarks/run.sh DIR W),
then ../shared/bench/peers.py W for torch eager, torch.compile, JAX and NumPy (THREADS=2), all
on the inputs `peers.py --save DIR` writes; W7_train_step's peer is torch eager alone, in
benchmarks/peers_training.py (its `--save DIR` writes the initial weights). Every loss value must
agree with every peer's to 1e-4 relative, and every gradient with torch eager's to 1e-4 of its
largest magnitude (W7: the loss after the same training steps from the same weights); a
disagreement is printed and makes the exit status 1.

The floors: for every workload with a program in benchmarks/floors/ (built by its build.sh into
.build/floors/; W3's only where OpenBLAS is installed), that program runs after LossLang on the
same inputs (OMP_NUM_THREADS=2, OMP_WAIT_POLICY=PASSIVE, OPENBLAS_NUM_THREADS=2); its `floor_ms`
fills the floor column and LossLang's time over it the ratio column. LossLang and the floor
program run PROCESS_RUNS times each, interleaved (LossLang, floor, LossLang, floor, …), and
each reports the run of its median time: on this VM a process after the peers' large
allocations can run 30–100% slower for some seconds, LossLang and the floor alike, and one run
of each would charge that to whichever came first. Its loss must agree with
LossLang's to 1e-4 relative and its gradients with torch eager's as LossLang's must (`--check`
checks these too).

    python3 benchmarks/make_results.py                 # full run, rewrites RESULTS.md's table
    python3 benchmarks/make_results.py W7              # the workloads named so: only their rows
    python3 benchmarks/make_results.py --check         # values and gradients vs torch eager

Run it with a Python that has torch, jax, optax, numpy and scikit-learn (W7's digits; e.g. a venv:
see RESULTS.md).
LOSSLANG names the binary (default .build/release/losslang, built if missing).
"""
import argparse, datetime, json, os, platform, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(ROOT, "..", "shared", "bench", "peers.py")
TRAINING_PEER = os.path.join(HERE, "peers_training.py")
FLOORS_SOURCE = os.path.join(HERE, "floors")
FLOORS = os.path.join(ROOT, ".build", "floors")
TRAINING = "W7_train_step"  # its peer is TRAINING_PEER; it dumps no gradients
RESULTS = os.path.join(HERE, "RESULTS.md")
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
ENGINES = ["torch", "torch-compile", "jax", "numpy"]
HEADERS = {"torch": "torch eager", "torch-compile": "torch.compile", "jax": "JAX jit", "numpy": "NumPy"}
# The workloads, with the goals of issue 6: LossLang time / torch eager time, in the same run.
GOALS = {"W1_focal": 0.10, "W2_ce_ls": 0.5, "W3_clip": 1.0, "W4_huber": 1.0,
         "W5_triplet": 0.3, "W6_small_mse": 0.5, TRAINING: 0.5}
# The goals of issue 18: LossLang time / the best of torch eager and torch.compile, and
# LossLang time / the floor program's, in the same run.
PEER_GOALS = {w: 0.8 for w in ["W1_focal", "W2_ce_ls", "W3_clip", "W4_huber", "W5_triplet"]}
FLOOR_GOALS = {"W1_focal": 1.5, "W2_ce_ls": 1.5, "W3_clip": 1.15, "W4_huber": 1.5, "W5_triplet": 1.5}
BEST_PEERS = ["torch", "torch-compile"]
RTOL = 1e-4
PROCESS_RUNS = 3  # LossLang's and the floor program's, interleaved; the median run of each counts


def run_losslang(data, workload, grads):
    """Runs benchmarks/run.sh for one workload, writing its gradients to the directory grads;
    returns {workload: {"ms": …, "loss": …}}."""
    env = dict(os.environ, GRADS=grads)
    out = subprocess.run([os.path.join(HERE, "run.sh"), data, workload], check=True,
                         stdout=subprocess.PIPE, text=True, env=env).stdout
    results = {}
    for line in out.splitlines():
        print(line, flush=True)
        m = re.fullmatch(r"(\S+) median_ms=(\S+) loss=(\S+)", line.strip())
        if m:
            results[m[1]] = {"ms": float(m[2]), "loss": float(m[3])}
    return results


def median_run(runs, ms):
    """The run of the median time among `runs` (ms gives a run's time)."""
    return sorted(runs, key=ms)[len(runs) // 2]


def has_floor(workload):
    """Whether build.sh built a floor program for the workload."""
    return os.path.exists(os.path.join(FLOORS, workload))


def run_floor(data, workload, grads):
    """Runs the workload's floor program (built by benchmarks/floors/build.sh) with two OpenMP
    threads that sleep while they wait (spinning ones stall each other on a busy 2-core
    machine) and two OpenBLAS threads, writing its gradients to the directory grads; returns
    {"ms", "floor_ms", "loss"}."""
    env = dict(os.environ, OMP_NUM_THREADS="2", OMP_WAIT_POLICY="PASSIVE", OPENBLAS_NUM_THREADS="2")
    out = subprocess.run([os.path.join(FLOORS, workload), data, grads], check=True,
                         stdout=subprocess.PIPE, text=True, env=env).stdout
    result = None
    for line in out.splitlines():
        print("floor", line, flush=True)
        m = re.match(r"(\S+) median_ms=(\S+) loss=(\S+) floor_ms=(\S+)", line.strip())
        if m and m[1] == workload:
            result = {"ms": float(m[2]), "loss": float(m[3]), "floor_ms": float(m[4])}
    if result is None:
        raise RuntimeError(f"no result line from the floor program of {workload}")
    return result


def floor_disagreements(ours, floors):
    """Lines naming each floor program's loss that differs from LossLang's by more than RTOL relative."""
    return [f"{w}: floor program's loss {f['loss']!r} vs LossLang {ours[w]['loss']!r}"
            for w, f in floors.items()
            if w in ours and abs(f["loss"] - ours[w]["loss"]) > RTOL * abs(ours[w]["loss"])]


def run_peers(python, workload, engines, reps):
    """Runs peers.py --json for one workload with THREADS=2 (W7: peers_training.py, torch eager
    only, its own step counts); returns {workload: {engine: {"ms", "loss"}}}."""
    env = dict(os.environ, THREADS="2", PYTHONWARNINGS="ignore::UserWarning")
    cmd = [python, PEERS, workload, "--json", "--engines", ",".join(engines), "--reps", str(reps)]
    if workload == TRAINING:
        cmd = [python, TRAINING_PEER, "--json"] + (["--reps", "1", "--warmup", "1"] if reps == 1 else [])
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=env).stdout
    return json.loads(out)


def disagreements(ours, peers):
    """Lines naming each loss value that differs from a peer's by more than RTOL relative."""
    bad = []
    for w, mine in ours.items():
        for engine, theirs in peers.get(w, {}).items():
            if abs(mine["loss"] - theirs["loss"]) > RTOL * abs(theirs["loss"]):
                bad.append(f"{w}: LossLang loss {mine['loss']!r} vs {engine} {theirs['loss']!r}")
    return bad


def gradient_disagreements(grads, workload, who="LossLang"):
    """Lines naming each gradient of WHO (as run.sh GRADS=… or a floor program wrote it) whose
    largest difference from PyTorch's exceeds RTOL times PyTorch's largest magnitude. PyTorch's gradients come from
    peers.py's own torch runner (the `leaves` its step function holds), so the loss is the same."""
    import numpy as np
    if workload == TRAINING:
        return []
    sys.dont_write_bytecode = True  # peers.py lives in the read-only shared/ folder
    sys.path.insert(0, os.path.dirname(PEERS))
    import peers
    step, _ = peers.torch_fns(False)(workload, peers.make_inputs(workload))
    step()
    cells = dict(zip(step.__code__.co_freevars, (c.cell_contents for c in step.__closure__)))
    bad = []
    for i, leaf in enumerate(cells["leaves"]):
        ref = leaf.grad.numpy()
        mine = np.load(os.path.join(grads, f"{workload}_grad{i}.npy"))
        err = np.abs(mine - ref).max() / max(np.abs(ref).max(), np.finfo(np.float32).tiny)
        if mine.shape != ref.shape or not err <= RTOL:
            bad.append(f"{workload}: {who}'s gradient {i} of shape {mine.shape} differs from torch's "
                       f"{ref.shape} by {err:.2e} of its largest magnitude")
    return bad


def fmt_ms(ms):
    """A time in milliseconds with about four significant digits."""
    if ms is None:
        return "—"
    return f"{ms:.4f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.0f}"


def tree_commit():
    """`git describe --always --dirty` of the repository (what LossLang was built from by default)."""
    return subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()


def machine(python, build):
    """One paragraph describing the machine, the date and the software versions."""
    with open("/proc/cpuinfo") as f:
        info = f.read()
    m = re.search(r"^model name\s*:\s*(.*)$", info, re.M)
    cpu = m[1].strip() if m else "unknown CPU"
    family = re.search(r"^cpu family\s*:\s*(\d+)$", info, re.M)
    model = re.search(r"^model\s*:\s*(\d+)$", info, re.M)
    if family and model:
        cpu += f", family {family[1]} model {model[1]}"
    isa = "AVX-512" if "avx512f" in info else "AVX2" if "avx2" in info else "no AVX2"
    versions = subprocess.run(
        [python, "-c", "import torch, numpy, jax; print(f'torch {torch.__version__}, "
         "jax {jax.__version__}, numpy {numpy.__version__}')"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{date}; {cpu} ({isa}), {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"LossLang binary `{os.environ.get('LOSSLANG', '.build/release/losslang')}` ({build}); "
            f"Python {platform.python_version()}, {versions or 'peer versions unknown'}.")


def ratio_cell(mine, theirs, goal):
    """LossLang's time over another, with the goal it must stay under (bold when missed)."""
    if not mine or not theirs:
        return "—"
    ratio = mine / theirs
    text = f"**{ratio:.2f}×**" if goal is not None and ratio > goal else f"{ratio:.2f}×"
    return text + (f" (≤ {goal:.2f})" if goal is not None else "")


def best_peer_ms(peers, w):
    """The faster of torch eager and torch.compile on workload w (None without either)."""
    times = [peers.get(w, {}).get(e, {}).get("ms") for e in BEST_PEERS]
    times = [t for t in times if t]
    return min(times) if times else None


def table(ours, peers, floors):
    """The Markdown results table: times, then LossLang's ratios with their goals in brackets
    (issue 6's against torch eager, issue 18's against the best peer and the floor), a ratio
    over its goal in bold."""
    rows = ["| workload | LossLang ms | " + " | ".join(HEADERS[e] + " ms" for e in ENGINES)
            + " | floor ms | LossLang / torch eager | LossLang / best peer | LossLang / floor |",
            "|---|" + "---:|" * (len(ENGINES) + 5)]
    for w in sorted(set(ours) | set(peers)):
        mine = ours.get(w, {}).get("ms")
        cells = [fmt_ms(peers.get(w, {}).get(e, {}).get("ms")) for e in ENGINES]
        floor_ms = floors.get(w, {}).get("floor_ms")
        rows.append(f"| {w} | {fmt_ms(mine)} | " + " | ".join(cells) + f" | {fmt_ms(floor_ms)} | "
                    + ratio_cell(mine, peers.get(w, {}).get("torch", {}).get("ms"), GOALS.get(w)) + " | "
                    + ratio_cell(mine, best_peer_ms(peers, w), PEER_GOALS.get(w)) + " | "
                    + ratio_cell(mine, floor_ms, FLOOR_GOALS.get(w)) + " |")
    return "\n".join(rows)


def missed_goals(ours, peers, floors):
    """Lines naming each goal of issue 18 that the run missed."""
    missed = []
    for w in sorted(ours):
        mine = ours[w]["ms"]
        best, floor_ms = best_peer_ms(peers, w), floors.get(w, {}).get("floor_ms")
        if w in PEER_GOALS and best and mine / best > PEER_GOALS[w]:
            missed.append(f"{w}: {mine / best:.2f}× the best peer (goal ≤ {PEER_GOALS[w]:.2f}×)")
        if w in FLOOR_GOALS and floor_ms and mine / floor_ms > FLOOR_GOALS[w]:
            missed.append(f"{w}: {mine / floor_ms:.2f}× the floor (goal ≤ {FLOOR_GOALS[w]:.2f}×)")
    return missed


def check_text(ours, bad, floors=()):
    """The sentence saying that the values agree (with the loss values), or which do not."""
    losses = ", ".join(f"{w} {ours[w]['loss']:.7g}" for w in sorted(ours))
    training = f" ({TRAINING}: the loss of the same training step from the same weights)" if TRAINING in ours else ""
    gradients = ", and every gradient with torch eager's to 1e-4 of its largest magnitude" if set(ours) - {TRAINING} else ""
    floor = (f" So do the floor programs' ({', '.join(sorted(floors))}) loss values with LossLang's and "
             "their gradients with torch eager's." if floors else "")
    return (f"Every LossLang loss value agrees with every peer's to 1e-4 relative{training}{gradients}.{floor} "
            "Loss values: " + losses + "."
            if not bad else "**Values that disagree:** " + "; ".join(bad) + ".")


def goals_text(ours, peers, floors):
    """The sentence saying whether the run met issue 18's goals, naming each one missed."""
    missed = missed_goals(ours, peers, floors)
    return ("Issue 18's goals (≤ 0.80× the best of torch eager and torch.compile on W1–W5; ≤ 1.50× "
            "the floor on W1, W2, W4, W5 and ≤ 1.15× on W3): "
            + ("all met." if not missed else "missed: " + "; ".join(missed) + " (see Notes)."))


def generated_block(ours, peers, floors, python, build, load_before, load_after, bad):
    """The part of RESULTS.md this script owns (between the markers)."""
    return "\n".join([
        BEGIN,
        table(ours, peers, floors),
        "",
        "Median wall-clock ms per forward + backward (gradient w.r.t. every float input); "
        f"{TRAINING}: per training step (forward, backward and Adam's update), torch eager its "
        "only peer. `—`: no peer version (or no floor program) of that workload. Floor: the "
        "floor program's time (W1, W2, W3) or its memory floor (W4, W5; the loop's time if less), "
        "see Notes, \"Floors\". Ratios: LossLang's time over the other's, "
        "with its goal in brackets (issue 6's against torch eager; issue 18's against the best "
        "peer, the faster of torch eager and torch.compile, and against the floor); bold: over its goal.",
        "",
        "Machine and run: " + machine(python, build),
        f"Load average (1 min) before the run {load_before:.2f}, after {load_after:.2f}.",
        "",
        check_text(ours, bad, floors),
        "",
        goals_text(ours, peers, floors),
        END,
    ])


def parse_ms(cell):
    """A time cell of the table as a float (None for `—`)."""
    cell = cell.strip()
    return None if cell in ("", "—") else float(cell)


def parsed_rows(lines):
    """The times of an earlier table (any of its column layouts) as (ours, peers, floors), so
    its rows can be written again in the current columns."""
    header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    ours, peers, floors = {}, {}, {}
    for line in lines[2:]:
        cells = dict(zip(header, line.strip().strip("|").split("|")))
        w = cells["workload"].strip()
        ours[w] = {"ms": parse_ms(cells["LossLang ms"])}
        peers[w] = {e: {"ms": parse_ms(cells[HEADERS[e] + " ms"])} for e in ENGINES
                    if HEADERS[e] + " ms" in cells and parse_ms(cells[HEADERS[e] + " ms"]) is not None}
        if parse_ms(cells.get("floor ms", "—")) is not None:
            floors[w] = {"floor_ms": parse_ms(cells["floor ms"])}
    return ours, peers, floors


def merged_block(ours, peers, floors, python, build, load_before, load_after, bad):
    """RESULTS.md's generated block with the rows of the workloads just run replaced (or
    added) and, per workload, a line `Row NAME: …` saying when and how it ran; every other row
    and line stays (in the current columns). The whole new block when RESULTS.md has none."""
    text = open(RESULTS).read() if os.path.exists(RESULTS) else ""
    if BEGIN not in text or END not in text:
        return generated_block(ours, peers, floors, python, build, load_before, load_after, bad)
    lines = text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n").split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("| W")]
    old_ours, old_peers, old_floors = parsed_rows(lines[rows[0] - 2:rows[-1] + 1])
    for w in ours:
        old_ours.pop(w, None), old_peers.pop(w, None), old_floors.pop(w, None)
    lines[rows[0] - 2:rows[-1] + 1] = table({**old_ours, **ours}, {**old_peers, **peers},
                                            {**old_floors, **floors}).split("\n")
    lines = [line for line in lines if not any(line.startswith(f"Row {w}:") for w in ours)]
    while lines[-1] == "":
        lines.pop()
    notes = [f"Row {w}: run on its own, {machine(python, build)} Load average (1 min) before "
             f"{load_before:.2f}, after {load_after:.2f}. "
             f"{check_text({w: ours[w]}, bad, [w] if w in floors else [])}" for w in sorted(ours)]
    return "\n".join([BEGIN] + lines + [""] + notes + [END])


def write_results(block):
    """Replaces the generated block of RESULTS.md (appending it if the markers are missing)."""
    text = open(RESULTS).read() if os.path.exists(RESULTS) else "# Benchmark results\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(RESULTS, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workloads", nargs="*", metavar="W",
                    help="run only the workloads whose names start so, replacing only their rows")
    ap.add_argument("--data", default="/tmp/losslang-bench-data", help="inputs directory (written if missing)")
    ap.add_argument("--python", default=sys.executable, help="the Python that runs peers.py")
    ap.add_argument("--reps", type=int, default=15, help="peers.py repetitions (W6: 200×; W7 keeps its own counts)")
    ap.add_argument("--build", help="how the LossLang binary was built (default: the tree's commit)")
    ap.add_argument("--check", action="store_true",
                    help="only compare LossLang's loss values and gradients with torch eager's; "
                         "RESULTS.md untouched")
    a = ap.parse_args()
    selected = [w for w in GOALS if not a.workloads or any(w.startswith(p) for p in a.workloads)]
    if not selected:
        ap.error("no workload starts with " + " or ".join(a.workloads))
    if not os.path.isdir(a.data):
        subprocess.run([a.python, PEERS, "--save", a.data], check=True)
    if TRAINING in selected and not os.path.isdir(os.path.join(a.data, TRAINING)):
        subprocess.run([a.python, TRAINING_PEER, "--save", a.data], check=True)
    if any(os.path.exists(os.path.join(FLOORS_SOURCE, w + ".c")) for w in selected):
        subprocess.run([os.path.join(FLOORS_SOURCE, "build.sh"), FLOORS], check=True)
    load_before = os.getloadavg()[0]
    ours, peers, floors, bad = {}, {}, {}, []
    with tempfile.TemporaryDirectory() as grads, tempfile.TemporaryDirectory() as floor_grads:
        for w in selected:  # workload by workload: LossLang and its peers share the machine's state
            mine, theirs = [], []
            for _ in range(PROCESS_RUNS):
                mine.append(run_losslang(a.data, w, grads))
                if has_floor(w):
                    theirs.append(run_floor(a.data, w, floor_grads))
            ours.update(median_run(mine, lambda r: r.get(w, {}).get("ms", 0)))
            if theirs:
                floors[w] = median_run(theirs, lambda r: r["floor_ms"])
            peers.update(run_peers(a.python, w, ["torch"] if a.check else ENGINES, 1 if a.check else a.reps))
            print(w, json.dumps(peers.get(w, {})), flush=True)
            bad += gradient_disagreements(grads, w)
            if has_floor(w):
                bad += gradient_disagreements(floor_grads, w, who="floor program")
    load_after = os.getloadavg()[0]
    bad = disagreements(ours, peers) + floor_disagreements(ours, floors) + bad
    for line in bad:
        print("DISAGREE", line, file=sys.stderr)
    for line in missed_goals(ours, peers, floors):
        print("GOAL MISSED", line, file=sys.stderr)
    if not a.check:
        build = a.build or "built from " + tree_commit()
        block = generated_block if len(selected) == len(GOALS) else merged_block
        write_results(block(ours, peers, floors, a.python, build, load_before, load_after, bad))
        print("wrote", RESULTS)
    elif not bad:
        print(f"all {len(ours)} loss values and their gradients agree with torch eager to {RTOL:g}"
              + (f", and the floor programs' ({', '.join(sorted(floors))}) with LossLang's and torch's"
                 if floors else ""))
    sys.exit(1 if bad or len(ours) != len(selected) else 0)


if __name__ == "__main__":
    main()
