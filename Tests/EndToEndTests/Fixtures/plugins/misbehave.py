"""An MCP server that misbehaves on purpose, one way per mode, for Handoff's isolation tests.

Usage: misbehave.py MODE. Raw JSON-RPC lines (no SDK), so each fault is exactly the one named.
Modes: good, crash-on-start, crash-mid-call, crash-once, hang, garbage, huge, wrong-version,
undeclared, writer (logs an objection through handoff/write; well-behaved when declared),
environment (answers with its environment), crash-leaving-child and slow (start a child that
holds stdout and stderr, write both pids to $HOME/MODE.pids, then kill themselves or hang),
chatty (writes 3 MiB to stderr in each call, then answers), stubborn (writes its pid to
$HOME/stubborn.pids, answers, and does not end when its input does).
"""
import json
import os
import signal
import subprocess
import sys
import time

mode = sys.argv[1]
print(f"misbehave {mode}: started", file=sys.stderr, flush=True)
if mode == "crash-on-start":
    print("boom: crashed on start", file=sys.stderr, flush=True)
    sys.exit(3)


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def record_pids(*pids):
    """Writes $HOME/MODE.pids whole, for a test to find the processes."""
    path = os.path.join(os.environ["HOME"], f"{mode}.pids")
    with open(path + ".tmp", "w") as file:
        file.write(" ".join(str(pid) for pid in pids) + "\n")
    os.rename(path + ".tmp", path)


def start_child_and_record_pids():
    """A child of the plugin that inherits its stdout and stderr and outlives it if nobody ends it."""
    child = subprocess.Popen(["sleep", "600"])
    record_pids(os.getpid(), child.pid)


def answer(call, name):
    lead = call["params"]["arguments"].get("lead", {})
    return {"content": [{"type": "text", "text": f"{name} looked at {lead.get('name')}"}], "isError": False}


if mode == "stubborn":
    record_pids(os.getpid())

for line in sys.stdin:
    message = json.loads(line)
    method, ident = message.get("method"), message.get("id")
    if method == "initialize":
        version = "1999-01-01" if mode == "wrong-version" else message["params"]["protocolVersion"]
        send({"jsonrpc": "2.0", "id": ident, "result": {
            "protocolVersion": version, "capabilities": {"tools": {}}, "serverInfo": {"name": mode, "version": "1"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": ident, "result": {"tools": [
            {"name": "look", "description": "looks", "inputSchema": {"type": "object"}}]}})
    elif method == "tools/call":
        if mode == "crash-mid-call":
            os._exit(1)
        if mode == "crash-once":
            marker = os.path.join(os.environ["HOME"], f"crash-once-{os.getppid()}")
            if not os.path.exists(marker):
                open(marker, "w").close()
                os._exit(1)
        if mode == "hang":
            time.sleep(3600)
        if mode == "crash-leaving-child":
            start_child_and_record_pids()
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "slow":
            start_child_and_record_pids()
            time.sleep(3600)
        if mode == "chatty":
            for _ in range(3 * 1024):
                sys.stderr.write("chatter " * 128 + "\n")
            sys.stderr.flush()
        if mode == "environment":
            send({"jsonrpc": "2.0", "id": ident, "result": {
                "content": [{"type": "text", "text": "environment"}], "structuredContent": {"environment": dict(os.environ)}}})
            continue
        if mode == "garbage":
            sys.stdout.write("this is not json at all\n")
            sys.stdout.flush()
            continue
        if mode == "huge":
            send({"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": "x" * (6 << 20)}]}})
            continue
        if mode == "undeclared":
            send({"jsonrpc": "2.0", "id": "r1", "method": "handoff/read", "params": {"what": "objections"}})
            reply = json.loads(sys.stdin.readline())
            print(f"handoff/read answered: {reply}", file=sys.stderr, flush=True)
        if mode == "writer":
            lead = message["params"]["arguments"]["lead"]["external_id"]
            send({"jsonrpc": "2.0", "id": "w1", "method": "handoff/write",
                  "params": {"what": "objection", "lead": lead, "text": "we need SSO before we sign"}})
            reply = json.loads(sys.stdin.readline())
            send({"jsonrpc": "2.0", "id": ident, "result": {
                "content": [{"type": "text", "text": json.dumps(reply)}],
                "structuredContent": {"logged": reply.get("result")}}})
            continue
        send({"jsonrpc": "2.0", "id": ident, "result": answer(message, mode)})

if mode == "stubborn":
    time.sleep(3600)
