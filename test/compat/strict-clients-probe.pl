# Perl's RPC::XML::Client (expat underneath, which refuses what is not well-formed XML) calls one daemon over
# http on a loopback port and prints one JSON line per call: the decoded value with its RPC::XML type, or the
# fault, or that the client refused the answer.
# Usage: perl strict-clients-probe.pl PORT USER PASSWORD
use strict;
use warnings;
use JSON::PP;
use RPC::XML;
use RPC::XML::Client;

my ($port, $user, $password) = @ARGV;
my $json = JSON::PP->new->canonical;
binmode STDOUT, ':encoding(UTF-8)';

sub typed {
  my ($v) = @_;
  (my $type = ref $v) =~ s/^RPC::XML:://;
  return ['array', [map { typed($_) } @$v]] if $type eq 'array';
  return ['struct', [map { [$_, typed($v->{$_})] } sort keys %$v]] if $type eq 'struct';
  return [$type, $v->value];
}

sub client {
  my ($pass) = @_;
  my $c = RPC::XML::Client->new("http://127.0.0.1:$port/RPC2");
  $c->useragent->timeout(20);
  $c->credentials('default', $user, $pass);
  return $c;
}

sub answer {
  my ($c, @args) = @_;
  my $r = $c->send_request(@args);
  return ['refused'] unless ref $r;
  return ['fault', $r->code, $r->string] if $r->is_fault;
  return typed($r);
}

# The test waits until out-put and plain are RUNNING with their line in their logs before it runs the probe.
my $c = client($password);

my $true = RPC::XML::boolean->new(1);
my @calls = (
  ['supervisor.getState'],
  ['supervisor.getPID'],
  ['supervisor.getProcessInfo', 'my.dot-dash'],
  ['supervisor.startProcess', 'my.dot-dash', $true],
  ['supervisor.startProcess', 'my.dot-dash', $true],
  ['supervisor.stopProcess', 'my.dot-dash', $true],
  ['supervisor.stopProcess', 'my.dot-dash', $true],
  ['supervisor.startProcessGroup', 'grp', $true],
  ['supervisor.stopProcessGroup', 'grp', $true],
  ['supervisor.readProcessStdoutLog', 'out-put', RPC::XML::int->new(0), RPC::XML::int->new(0)],
  ['supervisor.tailProcessStdoutLog', 'out-put', RPC::XML::int->new(0), RPC::XML::int->new(1000)],
  ['supervisor.readProcessStdoutLog', 'plain', RPC::XML::int->new(0), RPC::XML::int->new(0)],
  ['supervisor.getAllConfigInfo'],
  ['system.methodSignature', 'supervisor.readLog'],
  ['system.multicall', [{ methodName => 'supervisor.getState', params => [] },
                        { methodName => 'supervisor.getProcessInfo', params => ['nope'] }]],
  ['supervisor.stopProcess', 'nope'],
  ['supervisor.nope'],
);
print $json->encode([$_->[0], answer($c, @$_)]), "\n" for @calls;
print $json->encode(['wrong password', answer(client('wrong'), 'supervisor.getState')]), "\n";
