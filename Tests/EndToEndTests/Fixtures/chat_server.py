"""A small OpenAI-compatible chat-completions server for tests: python3 chat_server.py PORT_FILE MODE
MODE is ok (answers with the draft in capitals, and records the request), error (HTTP 500), slow
(answers after 30 s), garbage (answers text that is not JSON), huge (answers a chat completion of
1 MB), leaky (HTTP 401 whose message echoes the Authorization header, with control characters
and at length, as some endpoints do), theme (answers "Need." and a reason on a second line, as a
model asked for a theme id might) or banana (answers a word that is no theme). Every request
appends a line to PORT_FILE.count."""
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
        with open(port_file + ".count", "a") as f:
            f.write("1\n")
        if mode == "slow":
            time.sleep(30)
        if mode == "leaky":
            message = ("Incorrect API key provided: " + str(self.headers.get("Authorization")) +
                       "\x1b[31m\r\nYou can find your API key at https://example.com/account/api-keys. " + "x" * 500)
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode())
            return
        if mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"model overloaded")
            return
        if mode == "theme":
            content = "Need.\nThey say their team is too small to use it."
        elif mode == "banana":
            content = "banana"
        else:
            content = "POLISHED\n" + ("x" * (1 << 20) if mode == "huge" else body["messages"][1]["content"].upper())
        text = b"this is not json" if mode == "garbage" else json.dumps({
            "choices": [{"message": {"role": "assistant", "content": content}}]
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(text)

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
