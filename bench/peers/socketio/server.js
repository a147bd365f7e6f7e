// Socket.IO 4 room-broadcast server: the peer of Parley's WebSocket gateway in the
// `parley-bench chat` scenarios (fanout, sends, idle). It mirrors what the gateway does, with
// the defaults a team gets from `npm i socket.io`: one Node process, the in-memory adapter,
// websocket transport only (no long-polling), no per-message compression.
//
//   node server.js [--port 3000] [--host 127.0.0.1] [--token SECRET]
//
// Protocol (Socket.IO v5 over Engine.IO v4, namespace "/"):
//   connect   40{"token":"…"}          the auth payload must carry the shared token (Parley's
//                                      {"op":"auth"}); refused with 44{"message":"unauthenticated"}
//   join      42<id>["join",{"rooms":["r1",…]}]        → 43<id>[{"ok":true}]       (Parley "sub")
//   send      42<id>["send",{"room","client_id","body"}]
//             → every socket in the room: 42["msg",{"room","seq","message":{…}}]  (Parley "msg")
//             → the sender:               43<id>[{"client_id","seq","id"}]        (Parley "ack")
// Differences that favour this peer, to keep in mind when reading a ratio: nothing is stored
// (the ack means "broadcast", not "durable"), client_id is not deduplicated, the sender's room
// membership is not checked, and the token is compared, not verified as a signed JWT.
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg("port", process.env.PORT || 3000));
const host = arg("host", "127.0.0.1");
const token = arg("token", process.env.BENCH_TOKEN || "parley-bench");

const server = http.createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(404);
  res.end();
});

const io = new Server(server, {
  transports: ["websocket"],
  serveClient: false,
  perMessageDeflate: false,
});

const roomSeq = new Map();  // room -> last seq (in memory: the peer keeps no history)
let nextId = 1;

io.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  if (auth.token !== token) return next(new Error("unauthenticated"));
  socket.data.user = String(auth.user || socket.id);
  next();
});

io.on("connection", (socket) => {
  socket.on("join", (payload, ack) => {
    const rooms = payload && Array.isArray(payload.rooms) ? payload.rooms.map(String) : [];
    socket.join(rooms);
    if (typeof ack === "function") ack({ ok: true, rooms: rooms.length });
  });

  socket.on("send", (payload, ack) => {
    if (!payload || typeof payload.room !== "string" || typeof payload.body !== "string") {
      if (typeof ack === "function") ack({ error: "validation_failed" });
      return;
    }
    const room = payload.room;
    const seq = (roomSeq.get(room) || 0) + 1;
    roomSeq.set(room, seq);
    const id = String(nextId++);
    const message = {
      id,
      room_id: room,
      seq,
      sender_id: socket.data.user,
      client_id: payload.client_id,
      body: payload.body,
      created_at: new Date().toISOString(),
    };
    io.to(room).emit("msg", { room, seq, message });
    if (typeof ack === "function") ack({ client_id: payload.client_id, seq, id });
  });
});

server.listen(port, host, () => {
  console.log(`socket.io ${require("socket.io/package.json").version} listening on ${host}:${port} pid ${process.pid}`);
});

function shutdown() {
  io.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
