#!/usr/bin/env python3
"""Emit one Backplane event over ZeroMQ (pyzmq): python3 emit_zmq.py TAG SUBJECT '{"load": 0.93}' [ADDRESS]"""
import datetime, json, sys, uuid
import zmq

def emit(tag, subject, data, address="tcp://127.0.0.1:7781"):
    sock = zmq.Context.instance().socket(zmq.XPUB)  # XPUB, not PUB: we see the hub subscribe before we send
    sock.connect(address)
    if not sock.poll(5000):                         # the hub subscribes as soon as we are connected
        raise SystemExit("no Backplane hub at " + address)
    sock.recv()
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "python-app", "type": tag,
             "subject": subject, "time": datetime.datetime.now(datetime.timezone.utc).isoformat(), "data": data}
    sock.send_multipart([tag.encode(), json.dumps(event).encode()])  # frames: [tag, CloudEvent JSON]
    sock.close(linger=2000)                         # give ZeroMQ time to deliver before we exit
    return event["id"]

if __name__ == "__main__":
    print(emit(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), *sys.argv[4:5]))
