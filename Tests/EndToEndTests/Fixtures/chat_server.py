"""A small OpenAI-compatible chat-completions server for tests: python3 chat_server.py PORT_FILE MODE
MODE is ok (answers with the draft in capitals, and records the request), error (HTTP 500), slow
(answers after 30 s), or garbage (answers text that is not JSON)."""
import http.server, json, signal, sys, time

# The test runner starts its children with signals blocked; unblocked, the test's terminate() ends us.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
port_file, mode = sys.argv[1], sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(port_file + ".request", "w") as f:
            json.dump({"path": self.path, "authorization": self.headers.get("Authorization"), "body": body}, f)
        if mode == "slow":
            time.sleep(30)
        if mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"model overloaded")
            return
        text = b"this is not json" if mode == "garbage" else json.dumps({
            "choices": [{"message": {"role": "assistant", "content": "POLISHED\n" + body["messages"][1]["content"].upper()}}]
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(text)

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
