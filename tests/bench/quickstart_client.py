#!/usr/bin/python3
"""A Voice Live client written the way the service's Python quickstart is:
asyncio + websockets, json, base64, one 20 ms chunk per
input_audio_buffer.append, json.loads of every server event, base64 decode
of every audio delta into a deque that a 20 ms "sound card" callback drains.
It uses Debian's python3-websockets (10.x: websockets.client.connect; the
quickstart's websockets 15 spells it websockets.asyncio.client.connect).
No numpy and no printing of every event, so it is leaner than the quickstart.

usage: quickstart_client.py URL WAV N_RESPONSES realtime|fast
"""
import asyncio
import base64
import json
import sys
import time
import uuid
import wave
from collections import deque

import websockets

CHUNK_MS = 20


async def main():
    url, wav, expect, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    realtime = mode == "realtime"
    with wave.open(wav) as w:
        rate = w.getframerate()
        pcm = w.readframes(w.getnframes())
    chunk = rate * CHUNK_MS // 1000 * 2
    endpoint = url.replace("ws://", "http://")
    url = f"{endpoint.rstrip('/')}/voice-live/realtime?api-version=2025-10-01&model=gpt-4o"
    url = url.replace("https://", "wss://").replace("http://", "ws://")
    headers = {"x-ms-client-request-id": str(uuid.uuid4()), "api-key": "bench"}
    queue = deque()
    done = asyncio.Event()
    state = {"responses": 0, "out_bytes": 0}

    async with websockets.connect(url, extra_headers=headers, max_size=None) as ws:
        await ws.send(json.dumps({
            "type": "session.update",
            "session": {"instructions": "You are a helpful AI assistant."},
            "event_id": "",
        }))

        async def send_audio():
            start = time.monotonic()
            for i in range(0, len(pcm) - chunk + 1, chunk):
                if realtime:
                    due = start + (i // chunk) * CHUNK_MS / 1000
                    delay = due - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                audio = base64.b64encode(pcm[i:i + chunk]).decode("utf-8")
                param = {"type": "input_audio_buffer.append", "audio": audio, "event_id": ""}
                await ws.send(json.dumps(param))

        async def receive():
            async for raw in ws:
                event = json.loads(raw)
                t = event.get("type")
                if t == "response.audio.delta":
                    data = base64.b64decode(event.get("delta", ""))
                    queue.append(data)
                    state["out_bytes"] += len(data)
                elif t == "response.done":
                    state["responses"] += 1
                    if state["responses"] >= expect:
                        done.set()
                elif t == "error":
                    print("error event:", event.get("error"), file=sys.stderr)

        async def playback():
            # the sound card: pull 20 ms every 20 ms
            start = time.monotonic()
            k = 0
            while True:
                k += 1
                await asyncio.sleep(max(0, start + k * CHUNK_MS / 1000 - time.monotonic()))
                need = chunk
                while need > 0 and queue:
                    item = queue.popleft()
                    if len(item) > need:
                        queue.appendleft(item[need:])
                        need = 0
                    else:
                        need -= len(item)

        recv_task = asyncio.create_task(receive())
        play_task = asyncio.create_task(playback()) if realtime else None
        await send_audio()
        if expect > 0:
            await asyncio.wait_for(done.wait(), timeout=60)
        if realtime:
            while queue:
                await asyncio.sleep(CHUNK_MS / 1000)
        recv_task.cancel()
        if play_task:
            play_task.cancel()
    print(json.dumps({"responses": state["responses"], "out_bytes": state["out_bytes"]}))


asyncio.run(main())
