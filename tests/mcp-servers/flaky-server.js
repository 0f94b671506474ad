#!/usr/bin/env node
// A deliberately fragile MCP server for rein's tests, with no dependencies: JSON-RPC, one
// message per line on stdin and stdout. Its tools misbehave on request:
//   echo  {text}  answers "echo: <text>"
//   crash {}      writes a line to stderr and exits with status 3 without answering
//   hang  {}      spins forever without answering anything, pings included
"use strict";

const tools = [
  { name: "echo", description: "Echo the text back.", inputSchema: { type: "object", properties: { text: { type: "string" } } }, annotations: { readOnlyHint: true } },
  { name: "crash", description: "Exit at once.", inputSchema: { type: "object", properties: {} } },
  { name: "hang", description: "Never answer.", inputSchema: { type: "object", properties: {} } },
];

function send(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

function handle(message) {
  const { id, method, params } = message;
  if (id === undefined) return; // a notification
  switch (method) {
    case "initialize":
      return send({ jsonrpc: "2.0", id, result: {
        protocolVersion: params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: "flaky", version: "1.0.0" },
      } });
    case "ping":
      return send({ jsonrpc: "2.0", id, result: {} });
    case "tools/list":
      return send({ jsonrpc: "2.0", id, result: { tools } });
    case "tools/call": {
      const args = params.arguments || {};
      if (params.name === "echo") {
        return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "echo: " + args.text }] } });
      }
      if (params.name === "crash") {
        process.stderr.write("flaky: crashing on purpose\n");
        process.exit(3);
      }
      if (params.name === "hang") {
        for (;;) {}
      }
      return send({ jsonrpc: "2.0", id, error: { code: -32602, message: "unknown tool " + params.name } });
    }
    default:
      return send({ jsonrpc: "2.0", id, error: { code: -32601, message: "no method " + method } });
  }
}

process.stderr.write("flaky: started\n");
let buffered = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, newline).trim();
    buffered = buffered.slice(newline + 1);
    if (line) handle(JSON.parse(line));
  }
});
process.stdin.on("end", () => process.exit(0));
