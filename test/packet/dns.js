// Packet-test DNS peer, two modes:
//   node dns.js server '{"address":"10.99.0.2","port":53,"answer":"192.0.2.10"}'
//     A stand-in for the VPC resolver (GCP metadata server, Azure firewall DNS proxy): answers every
//     A query with `answer` (other types: no records), prints "ready", then one JSON line per query
//     received: {"from":"10.99.0.1","name":"pypi.org","type":1}.
//   node dns.js query '{"timeoutMs":800,"queries":[{"server":"169.254.169.254","port":53,"name":"pypi.org"}]}'
//     Sends every A query at once; prints one JSON object {"<server> <port> <name>": result}, where
//     result is null (no answer) or {"rcode":0,"addresses":["192.0.2.10"],"from":"169.254.169.254"}.
'use strict';
const dgram = require('dgram');

function encodeName(name) {
  const parts = name.split('.').filter((l) => l.length > 0).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** Reads a (possibly compressed) name at `pos`: [name, end of the name at `pos`]. */
function readName(msg, pos) {
  const labels = [];
  let end = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = msg[pos];
    if (len === 0) return [labels.join('.'), end < 0 ? pos + 1 : end];
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = pos + 2;
      pos = ((len & 0x3f) << 8) | msg[pos + 1];
      continue;
    }
    labels.push(msg.subarray(pos + 1, pos + 1 + len).toString('latin1'));
    pos += 1 + len;
  }
  throw new Error('name loop');
}

function query(id, name, type = 1) {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/** rcode and A records of a response to query `id`, or undefined when it is not one. */
function parseAnswer(msg, id) {
  if (msg.length < 12 || msg.readUInt16BE(0) !== id || !(msg[2] & 0x80)) return undefined;
  const rcode = msg[3] & 0x0f;
  let pos = 12;
  for (let q = msg.readUInt16BE(4); q > 0; q--) pos = readName(msg, pos)[1] + 4;
  const addresses = [];
  for (let a = msg.readUInt16BE(6); a > 0; a--) {
    pos = readName(msg, pos)[1];
    const type = msg.readUInt16BE(pos);
    const rdlength = msg.readUInt16BE(pos + 8);
    if (type === 1 && rdlength === 4) addresses.push([...msg.subarray(pos + 10, pos + 14)].join('.'));
    pos += 10 + rdlength;
  }
  return { rcode, addresses };
}

function server(cfg) {
  const sock = dgram.createSocket('udp4');
  const answer = Buffer.from((cfg.answer ?? '192.0.2.10').split('.').map(Number));
  sock.on('message', (msg, rinfo) => {
    try {
      if (msg.length < 12 || msg[2] & 0x80) return;
      const [name, end] = readName(msg, 12);
      const type = msg.readUInt16BE(end);
      process.stdout.write(`${JSON.stringify({ from: rinfo.address, name, type })}\n`);
      const header = Buffer.from(msg.subarray(0, 12));
      header.writeUInt16BE(0x8180 | (msg.readUInt16BE(2) & 0x0100), 2); // QR, RD as asked, RA
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(type === 1 ? 1 : 0, 6);
      header.writeUInt16BE(0, 8);
      header.writeUInt16BE(0, 10);
      const question = msg.subarray(12, end + 4);
      const record = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...answer]);
      sock.send(Buffer.concat([header, question, ...(type === 1 ? [record] : [])]), rinfo.port, rinfo.address);
    } catch (e) {
      process.stderr.write(`bad query: ${e.message}\n`);
    }
  });
  sock.on('error', (e) => { process.stderr.write(`dns server: ${e.message}\n`); process.exit(1); });
  sock.bind(cfg.port, cfg.address, () => process.stdout.write('ready\n'));
}

function client(cfg) {
  const timeout = cfg.timeoutMs ?? 800;
  const ask = (q, i) => new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const id = (0x1000 + i * 7919) & 0xffff;
    const finish = (result) => { clearTimeout(t); sock.close(); resolve([`${q.server} ${q.port} ${q.name}`, result]); };
    const t = setTimeout(() => finish(null), timeout);
    sock.on('message', (msg, rinfo) => {
      const parsed = parseAnswer(msg, id);
      if (parsed) finish({ ...parsed, from: rinfo.address });
    });
    sock.on('error', () => finish(null));
    sock.send(query(id, q.name, q.type ?? 1), q.port, q.server);
  });
  Promise.all(cfg.queries.map(ask)).then((pairs) => process.stdout.write(`${JSON.stringify(Object.fromEntries(pairs))}\n`));
}

const [mode, json] = process.argv.slice(2);
if (mode === 'server') server(JSON.parse(json));
else if (mode === 'query') client(JSON.parse(json));
else {
  process.stderr.write('usage: dns.js server|query JSON\n');
  process.exit(2);
}
