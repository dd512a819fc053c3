"""The command line: exit codes, one-line errors, time limit, deterministic output."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[3]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "portal.scheduler", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def write(path: pathlib.Path, data) -> str:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def assert_one_line_error(proc: subprocess.CompletedProcess, expected: str) -> None:
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert expected in lines[0]


def test_malformed_date_exits_2_with_one_line(tmp_path, build):
    inst = build.instance(requests=[build.request("r1", "s1", 50, dates=["2027-01-11", "2027-02-30"])])
    proc = run("solve", write(tmp_path / "i.json", inst), "-o", str(tmp_path / "a.json"))
    assert_one_line_error(proc, 'requests[0].dates[1]: "2027-02-30" is not a date')
    assert not (tmp_path / "a.json").exists()


def test_unknown_school_exits_2_with_one_line(tmp_path, build):
    inst = build.instance(requests=[build.request("r7", "s99", 50)])
    assert_one_line_error(run("solve", write(tmp_path / "i.json", inst)), 'requests[0].school: no school "s99"')


def test_empty_slots_exit_2_with_one_line(tmp_path, build):
    assert_one_line_error(run("solve", write(tmp_path / "i.json", build.instance(slots=[]))), "slots: empty")


def test_invalid_json_exits_2_with_one_line(tmp_path):
    assert_one_line_error(run("solve", write(tmp_path / "i.json", "{not json")), "not valid JSON")


def test_missing_file_exits_2_with_one_line(tmp_path):
    assert_one_line_error(run("check", str(tmp_path / "nope.json"), str(tmp_path / "a.json")), "cannot read")


def test_solve_reads_stdin_and_writes_stdout(tiny):
    proc = run("solve", "-", "-o", "-", "--time-limit", "1", stdin=json.dumps(tiny))
    assert proc.returncode == 0, proc.stderr
    allocation = json.loads(proc.stdout)
    assert allocation["format"] == "cse-tour-allocation/1"
    assert set(allocation["stats"]) >= {"pupils_reached", "weighted", "performances", "schools_served", "seconds"}


def test_check_exit_codes(tmp_path, tiny, build):
    inst_path = write(tmp_path / "i.json", tiny)
    out = tmp_path / "a.json"
    assert run("solve", inst_path, "-o", str(out), "--time-limit", "1").returncode == 0
    valid = run("check", inst_path, str(out))
    assert valid.returncode == 0 and "weighted:" in valid.stdout
    broken = json.loads(out.read_text())
    broken["performances"].append(dict(broken["performances"][0], pupils=500))
    breach = run("check", inst_path, write(tmp_path / "b.json", broken))
    assert breach.returncode == 1 and "exceed" in breach.stdout
    bad = run("check", inst_path, write(tmp_path / "c.json", {"format": "cse-tour-allocation/1"}))
    assert_one_line_error(bad, "performances: missing")


def test_time_limit_holds_for_the_whole_process(tmp_path, build):
    days = [f"2027-01-{d:02d}" for d in (11, 12, 13, 14, 15, 18, 19, 20, 21, 22)]
    schools = [
        {"id": f"s{i}", "name": "", "lat": 51.5 + (i % 7) * 0.05, "lon": -1.0 - (i // 7) * 0.08, "hall_capacity": 150}
        for i in range(40)
    ]
    requests = [build.request(f"r{i}", f"s{i}", 100 + 37 * i % 250, dates=days[i % 4 :: 2]) for i in range(40)]
    inst = build.instance(schools=schools, requests=requests, casts=[dict(build.instance()["casts"][0], dates=days)])
    started = time.monotonic()
    proc = run("solve", write(tmp_path / "i.json", inst), "-o", str(tmp_path / "a.json"), "--time-limit", "1")
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 1 + 8
    assert run("check", str(tmp_path / "i.json"), str(tmp_path / "a.json")).returncode == 0


def test_deterministic_mode_gives_identical_output_twice(tmp_path, tiny):
    inst_path = write(tmp_path / "i.json", tiny)
    args = ("--deterministic", "--time-limit", "0.5", "--seed", "3")
    first = run("solve", inst_path, "-o", "-", *args)
    second = run("solve", inst_path, "-o", "-", *args)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_progress_lines_report_the_best_so_far_on_standard_error(tmp_path, tiny):
    inst_path = write(tmp_path / "i.json", tiny)
    proc = run("solve", inst_path, "-o", str(tmp_path / "a.json"), "--time-limit", "1", "--progress")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    final = json.loads((tmp_path / "a.json").read_text())["stats"]
    assert lines and [x["weighted"] for x in lines] == sorted(x["weighted"] for x in lines)
    assert lines[-1]["weighted"] == final["weighted"] and lines[-1]["bound"] == final["bound"]
