// Drives the official @azure/ai-voicelive SDK the way its README does:
// VoiceLiveClient + AzureKeyCredential, startSession(model), subscribe()
// handlers, sendAudio() of one 20 ms chunk at a time.
// The SDK turns an http:// endpoint into ws:// (https:// into wss://), so
// the emulator's ws://127.0.0.1:PORT is given as http://127.0.0.1:PORT.
//
// usage: node sdk_client.mjs URL WAV N_RESPONSES realtime|fast
import { readFileSync } from "node:fs";
import { VoiceLiveClient } from "@azure/ai-voicelive";
import { AzureKeyCredential } from "@azure/core-auth";

const [url, wav, expectArg, mode] = process.argv.slice(2);
const expect = parseInt(expectArg, 10);
const realtime = mode === "realtime";
const CHUNK_MS = 20;

function readWav(path) {
  const b = readFileSync(path);
  let off = 12;
  let rate = 24000;
  while (off + 8 <= b.length) {
    const id = b.toString("ascii", off, off + 4);
    const sz = b.readUInt32LE(off + 4);
    if (id === "fmt ") rate = b.readUInt32LE(off + 12);
    if (id === "data") return { rate, pcm: b.subarray(off + 8, off + 8 + sz) };
    off += 8 + sz + (sz & 1);
  }
  throw new Error("no data chunk");
}

const { rate, pcm } = readWav(wav);
const chunk = ((rate * CHUNK_MS) / 1000) * 2;
const endpoint = url.replace("ws://", "http://");
const client = new VoiceLiveClient(endpoint, new AzureKeyCredential("bench"), {
  apiVersion: "2025-10-01",
});
const session = await client.startSession("gpt-4o");

const queue = [];
let responses = 0;
let outBytes = 0;
let resolveDone;
const done = new Promise((r) => (resolveDone = r));
if (expect === 0) resolveDone();

session.subscribe({
  onResponseAudioDelta: async (event) => {
    const d = event.delta; // Uint8Array (the SDK decodes the base64)
    queue.push(d);
    outBytes += d.length ?? d.byteLength;
  },
  onResponseDone: async () => {
    responses += 1;
    if (responses >= expect) resolveDone();
  },
  onServerError: async (event) => {
    console.error("error event:", JSON.stringify(event.error));
  },
});

await session.updateSession({ instructions: "You are a helpful AI assistant." });

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
let playTimer = null;
if (realtime) {
  const t0 = performance.now();
  let k = 0;
  const tick = () => {
    let need = chunk;
    while (need > 0 && queue.length) {
      const item = queue.shift();
      const n = item.length ?? item.byteLength;
      if (n > need) {
        queue.unshift(item.subarray(need));
        need = 0;
      } else need -= n;
    }
    k += 1;
    playTimer = setTimeout(tick, t0 + k * CHUNK_MS - performance.now());
  };
  playTimer = setTimeout(tick, CHUNK_MS);
}

const start = performance.now();
for (let i = 0, k = 0; i + chunk <= pcm.length; i += chunk, k++) {
  if (realtime) await sleep(start + k * CHUNK_MS - performance.now());
  const c = pcm.subarray(i, i + chunk);
  await session.sendAudio(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
}
const timeout = setTimeout(() => {
  console.error("timeout waiting for responses");
  process.exit(1);
}, 60000);
await done;
clearTimeout(timeout);
if (realtime) while (queue.length) await sleep(CHUNK_MS);
if (playTimer) clearTimeout(playTimer);
await session.disconnect();
await session.dispose?.();
console.log(JSON.stringify({ responses, out_bytes: outBytes }));
process.exit(0);
