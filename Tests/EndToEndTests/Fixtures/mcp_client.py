"""Drives `handoff mcp` with the official Python MCP client (pip install mcp).

Usage: mcp_client.py HANDOFF_BINARY CALLS_JSON [--allow-writes]
CALLS_JSON is a list of {"tool": NAME, "arguments": {...}}. Prints one JSON object:
{"protocol": VERSION, "tools": [names], "schemas": {name: inputSchema},
 "annotations": {name: {hint: value}}, "calls": [{"tool", "is_error", "structured", "text"}]}.
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main() -> None:
    binary, calls = sys.argv[1], json.loads(sys.argv[2])
    arguments = ["mcp"] + (["--allow-writes"] if "--allow-writes" in sys.argv[3:] else [])
    server = StdioServerParameters(command=binary, args=arguments, env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            hello = await session.initialize()
            listed = await session.list_tools()
            answers = []
            for call in calls:
                result = await session.call_tool(call["tool"], call.get("arguments", {}))
                text = "\n".join(block.text for block in result.content if getattr(block, "type", "") == "text")
                answers.append({
                    "tool": call["tool"], "is_error": result.is_error,
                    "structured": result.structured_content, "text": text,
                })
            print(json.dumps({
                "protocol": hello.protocol_version,
                "tools": [tool.name for tool in listed.tools],
                "schemas": {tool.name: tool.input_schema for tool in listed.tools},
                "annotations": {
                    tool.name: tool.annotations.model_dump(by_alias=True, exclude_none=True) if tool.annotations else {}
                    for tool in listed.tools
                },
                "calls": answers,
            }))


asyncio.run(main())
