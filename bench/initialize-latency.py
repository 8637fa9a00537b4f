#!/usr/bin/env python3
# Spawn -> initialize answer, independent of the C# bench driver: python3 bench/initialize-latency.py SERVER
import subprocess, time, json, sys, statistics
srv=sys.argv[1]; ts=[]
body=json.dumps({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":None,"capabilities":{}}}).encode()
msg=b"Content-Length: %d\r\n\r\n"%len(body)+body
for i in range(21):
    t=time.perf_counter()
    p=subprocess.Popen([srv],stdin=subprocess.PIPE,stdout=subprocess.PIPE,stderr=subprocess.DEVNULL)
    p.stdin.write(msg); p.stdin.flush()
    hdr=b""
    while not hdr.endswith(b"\r\n\r\n"): hdr+=p.stdout.read(1)
    n=int(hdr.split(b":")[1].split(b"\r")[0]); r=p.stdout.read(n)
    e=(time.perf_counter()-t)*1000
    if i: ts.append(e)
    p.kill(); p.wait()
print("median %.1f ms min %.1f max %.1f"%(statistics.median(ts),min(ts),max(ts)), json.loads(r)["result"]["serverInfo"])
