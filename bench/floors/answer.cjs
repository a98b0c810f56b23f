// Floor 1, any run: Node starts and writes one JSON answer to a pipe. Nothing else.
'use strict';
process.stdout.write('{"verdict":"feasible"}\n');
