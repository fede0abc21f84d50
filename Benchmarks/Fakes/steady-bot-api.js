// The lean fake Bot API (../shared/bench/lean-bot-api.js, run unchanged) with a steady feeder on
// top, for the pipeline benchmark's steady mode.
// usage: LEAN_BOT_API=/path/to/lean-bot-api.js node steady-bot-api.js PORT TOKEN
// Control, besides the lean fake's own:
//   POST /_control/steady {"rate":R,"seconds":S,"base":B,"chats":C,"text":"/saldo"}
//        queues one message every 1/R s for S seconds through the lean fake's own queue, from the
//        chats B, B+1, ..., B+C-1 in turn (each chat writes again after C/R seconds), and times
//        each message's reply with this process's clock (a chat's replies come in order)
//   GET  /_control/steady-result   {sent, done, rate, p50, p90, p99, max} (milliseconds)
const http = require('http');
const { EventEmitter } = require('events');

let lean = null;
const createServer = http.createServer;
http.createServer = (handler) => {
  lean = handler;
  return createServer((req, res) => route(req, res));
};

let waiting = new Map();    // chat -> times its unanswered messages were queued, oldest first
let latencies = [];         // milliseconds from queueing to reply, in the order replies came
let sent = 0, firstAt = 0, lastAt = 0;
let feeding = null;

function answer(res, result) {
  const body = JSON.stringify({ ok: true, result });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// Queues `n` messages through the lean fake's /_control/warm, as if posted to it.
function queue(n, base, text) {
  const req = new EventEmitter();
  req.url = '/_control/warm';
  req.headers = { 'content-type': 'application/json' };
  lean(req, { writeHead() {}, end() {} });
  req.emit('data', Buffer.from(JSON.stringify({ n, base, text })));
  req.emit('end');
}

function startSteady(p) {
  if (feeding) clearInterval(feeding);
  waiting = new Map(); latencies = []; sent = 0;
  const start = Date.now(), total = Math.round(p.rate * p.seconds), text = p.text || '/saldo';
  firstAt = start;
  const tick = () => {
    const due = Math.min(total, Math.floor((Date.now() - start) / 1000 * p.rate));
    const now = Date.now();
    for (; sent < due; sent++) {
      const chat = p.base + sent % p.chats;
      if (!waiting.has(chat)) waiting.set(chat, []);
      waiting.get(chat).push(now);
      queue(1, chat, text);
      lastAt = now;
    }
    if (sent >= total) { clearInterval(feeding); feeding = null; }
  };
  feeding = setInterval(tick, 2);
  tick();
}

function steadyResult() {
  const lat = [...latencies].sort((a, b) => a - b);
  const at = (q) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * q))] : null;
  const span = (lastAt - firstAt) / 1000;
  return { sent, done: lat.length, feeding: feeding !== null, rate: span > 0 ? sent / span : 0,
           p50: at(0.5), p90: at(0.9), p99: at(0.99), max: lat.length ? lat[lat.length - 1] : null };
}

function route(req, res) {
  const path = req.url.split('?')[0];
  if (path === '/_control/steady') {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => { startSteady(JSON.parse(Buffer.concat(chunks))); answer(res, { started: true }); });
    return;
  }
  if (path === '/_control/steady-result') return answer(res, steadyResult());
  if (waiting.size && /\/(sendMessage|editMessageText|sendPhoto)$/.test(path)) {
    // The lean fake answers with the chat's id: the reply is timed from its answer.
    const end = res.end.bind(res);
    res.end = (body) => {
      try {
        const times = waiting.get(JSON.parse(body).result.chat.id);
        if (times && times.length) latencies.push(Date.now() - times.shift());
      } catch (e) { /* not a reply to time */ }
      return end(body);
    };
  }
  lean(req, res);
}

if (!process.env.LEAN_BOT_API) { console.error('set LEAN_BOT_API to the lean fake\'s path'); process.exit(2); }
require(process.env.LEAN_BOT_API);
