# Ruby's XMLRPC::Client (REXML underneath) calls one daemon over http on a loopback port and prints one JSON
# line per call: the decoded value with its Ruby type, or the fault, or that the client refused the answer.
# Usage: ruby strict-clients-probe.rb PORT USER PASSWORD
require "xmlrpc/client"
require "json"

port, user, password = ARGV[0].to_i, ARGV[1], ARGV[2]

def typed(v)
  case v
  when Integer then ["int", v]
  when true, false then ["bool", v]
  when String then ["str", v]
  when Array then ["array", v.map { |x| typed(x) }]
  when Hash then ["struct", v.keys.sort.map { |k| [k, typed(v[k])] }]
  else [v.class.to_s, v.to_s]
  end
end

def answer(client, args)
  typed(client.call(*args))
rescue XMLRPC::FaultException => e
  ["fault", e.faultCode, e.faultString]
rescue StandardError => e
  ["refused", e.message.lines.last.to_s.strip]
end

def client(port, user, password)
  XMLRPC::Client.new3(host: "127.0.0.1", port: port, path: "/RPC2", user: user, password: password, timeout: 20)
end

# The test waits until out-put and plain are RUNNING with their line in their logs before it runs the probe.
c = client(port, user, password)

mc = lambda { |name, *params| { "methodName" => name, "params" => params } }
calls = [
  ["supervisor.getState"],
  ["supervisor.getPID"],
  ["supervisor.getAllProcessInfo"],
  ["supervisor.getProcessInfo", "my.dot-dash"],
  ["supervisor.startProcess", "my.dot-dash", true],
  ["supervisor.startProcess", "my.dot-dash", true],
  ["supervisor.signalProcess", "my.dot-dash", "CONT"],
  ["supervisor.stopProcess", "my.dot-dash", true],
  ["supervisor.stopProcess", "my.dot-dash", true],
  ["supervisor.signalProcess", "my.dot-dash", "HUP"],
  ["supervisor.startProcessGroup", "grp", true],
  ["supervisor.stopProcessGroup", "grp", true],
  ["supervisor.readProcessStdoutLog", "out-put", 0, 0],
  ["supervisor.tailProcessStdoutLog", "out-put", 0, 1000],
  ["supervisor.readLog", -10_000_000, 5],
  ["supervisor.clearProcessLogs", "my.dot-dash"],
  ["supervisor.readProcessStdoutLog", "my.dot-dash", 0, 0],
  ["supervisor.getAllConfigInfo"],
  ["system.listMethods"],
  ["system.methodHelp", "supervisor.nope"],
  ["system.methodSignature", "supervisor.startProcess"],
  ["system.multicall", [mc["supervisor.getState"], mc["supervisor.stopProcess", "nope"], mc["nope.nope"],
                        { "methodName" => "supervisor.getAPIVersion" }]],
  ["supervisor.startProcess", "nope"],
  ["supervisor.nope"],
  ["supervisor.getState", 1],
]
calls.each { |args| puts JSON.generate([args[0], answer(c, args)]) }
puts JSON.generate(["wrong password", answer(client(port, user, "wrong"), ["supervisor.getState"])])
