#!/usr/bin/python3
# voicelive-conversation: a spoken question from a WAV file, the agent's
# spoken answer to another WAV file, the conversation printed as it happens,
# and a get_weather tool that the agent may call.
#
#   /usr/bin/python3 voicelive-conversation.py --endpoint ws://127.0.0.1:PORT \
#       --api-key KEY --input question.wav --output answer.wav
#
# The pipeline:
#
#   filesrc ! wavparse ! audioconvert ! audioresample ! voicelivesink
#   voicelivesrc is-live=false ! wavenc ! filesink
#
# Without --endpoint / --api-key the element reads AZURE_VOICE_LIVE_ENDPOINT
# and AZURE_VOICE_LIVE_API_KEY. Needs Debian's python3-gi and python3-gst-1.0
# (run it with /usr/bin/python3).
#
# Exit status: 0 at end of stream (the whole answer is in the output file),
# 1 on an error, 2 when the safety timeout expired.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import json
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"],
        },
    }
]

# A stand-in for a real weather service.
WEATHER = {
    "seattle": {"temperature_c": 12, "sky": "light rain"},
    "oslo": {"temperature_c": 4, "sky": "clear"},
}


def get_weather(arguments):
    try:
        city = str(json.loads(arguments or "{}").get("city", ""))
    except (ValueError, AttributeError):
        return {"error": "arguments are not a JSON object"}
    found = WEATHER.get(city.lower(), {"temperature_c": 20, "sky": "sunny"})
    return dict(found, city=city)


FUNCTIONS = {"get_weather": get_weather}


class Conversation:
    def __init__(self, args):
        self.loop = GLib.MainLoop()
        self.exit_code = 1
        self.pipeline = Gst.parse_launch(
            "filesrc name=in ! wavparse ! audioconvert ! audioresample ! "
            "voicelivesink name=agent "
            "voicelivesrc is-live=false ! wavenc ! filesink name=out"
        )
        self.pipeline.get_by_name("in").set_property("location", args.input)
        self.pipeline.get_by_name("out").set_property("location", args.output)
        self.agent = self.pipeline.get_by_name("agent")
        if args.endpoint:
            self.agent.set_property("endpoint", args.endpoint)
        if args.api_key:
            self.agent.set_property("api-key", args.api_key)
        self.agent.set_property("instructions", args.instructions)
        self.agent.set_property("tools", json.dumps(TOOLS))
        self.agent.set_property("transcription-model", "azure-speech")
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)
        GLib.timeout_add_seconds(args.timeout, self.on_timeout)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, self.on_sigint)

    def say(self, who, text):
        print(f"{who:>6}: {text}", flush=True)

    def on_function_call(self, s):
        name = s.get_value("name")
        call_id = s.get_value("call-id")
        arguments = s.get_value("arguments")
        self.say("call", f"{name}({arguments}) [{call_id}]")
        fn = FUNCTIONS.get(name)
        result = fn(arguments) if fn else {"error": f"unknown function {name}"}
        output = json.dumps(result)
        self.say("result", output)
        if not self.agent.emit("function-result", call_id, output):
            self.say("error", f"function-result refused for {call_id}")

    def on_element(self, s):
        name = s.get_name()
        if name == "voicelive/connection":
            self.say("link", s.get_value("state"))
        elif name == "voicelive/speech-started":
            self.say("vad", f"speech started at {s.get_value('audio-start-ms')} ms")
        elif name == "voicelive/speech-stopped":
            self.say("vad", f"speech stopped at {s.get_value('audio-end-ms')} ms")
        elif name == "voicelive/input-transcript" and s.get_value("final"):
            self.say("user", s.get_value("transcript"))
        elif (
            name in ("voicelive/response-transcript", "voicelive/response-text")
            and s.get_value("final")
        ):
            self.say("agent", s.get_value("text"))
        elif name == "voicelive/function-call":
            self.on_function_call(s)
        elif name == "voicelive/response-done":
            self.say("done", f"response {s.get_value('status')}")

    def on_message(self, bus, msg):
        t = msg.type
        if t == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s is not None and s.get_name().startswith("voicelive/"):
                self.on_element(s)
        elif t == Gst.MessageType.WARNING:
            err, _ = msg.parse_warning()
            self.say("warn", err.message)
        elif t == Gst.MessageType.ERROR:
            err, _ = msg.parse_error()
            self.say("error", err.message)
            self.exit_code = 1
            self.loop.quit()
        elif t == Gst.MessageType.EOS:
            self.say("eos", "the answer is complete")
            self.exit_code = 0
            self.loop.quit()

    def on_timeout(self):
        self.say("error", "safety timeout")
        self.exit_code = 2
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def on_sigint(self):
        self.say("stop", "interrupted: sending end of stream")
        self.pipeline.send_event(Gst.Event.new_eos())
        return GLib.SOURCE_CONTINUE

    def run(self):
        if self.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            # The error message is on the bus.
            msg = self.pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
            if msg:
                self.say("error", msg.parse_error()[0].message)
            self.pipeline.set_state(Gst.State.NULL)
            return 1
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return self.exit_code


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--endpoint", default=os.environ.get("AZURE_VOICE_LIVE_ENDPOINT"))
    p.add_argument("--api-key", default=os.environ.get("AZURE_VOICE_LIVE_API_KEY"))
    p.add_argument("--input", required=True, help="WAV file with the question")
    p.add_argument("--output", required=True, help="WAV file for the answer")
    p.add_argument(
        "--instructions",
        default="You are a helpful assistant. Use get_weather for weather questions.",
    )
    p.add_argument("--timeout", type=int, default=120, help="safety timeout (s)")
    args = p.parse_args()
    Gst.init(None)
    return Conversation(args).run()


if __name__ == "__main__":
    sys.exit(main())
