/** `npm run db:start | db:stop | db:status` — manage the project's local Neo4j. */
import { loadConfig } from '../../config/index.js';
import { exitOnError } from '../../errors/expected.js';
import { startLocalNeo4j, statusOf, stopLocalNeo4j } from './local-neo4j.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  const { neo4j } = loadConfig();
  if (!neo4j.local) {
    say(`NEO4J_URI is set (${neo4j.uri}): the project uses that database, not a local one.`);
    return command === 'status' ? 0 : 1;
  }
  const local = neo4j.local;
  switch (command) {
    case 'start': {
      const { alreadyRunning, status, startMs } = await startLocalNeo4j(local, neo4j, say);
      say(
        alreadyRunning
          ? `The local Neo4j is already running on ${status.uri} (pid ${status.pid}).`
          : `Local Neo4j ${status.neo4jVersion} ${status.edition} with APOC ${status.apocVersion} is ready on ${status.uri} after ${(startMs / 1000).toFixed(1)} s.`,
      );
      return 0;
    }
    case 'stop': {
      const stopped = await stopLocalNeo4j(local);
      say(stopped ? 'The local Neo4j has stopped.' : 'The local Neo4j was not running.');
      return 0;
    }
    case 'status': {
      const s = await statusOf(local, neo4j);
      if (s.unauthorized) {
        say(
          `The local Neo4j (pid ${s.pid}) is running but refuses the configured password (NEO4J_PASSWORD).`,
        );
        return 3;
      }
      if (!s.running) {
        say(
          `The local Neo4j is not running${s.pid ? ` (pid ${s.pid} is alive but Bolt does not answer yet)` : ''}. Data: ${s.dir}`,
        );
        return 3;
      }
      say(`running      yes (pid ${s.pid})`);
      say(`bolt         ${s.uri}`);
      say(`neo4j        ${s.neo4jVersion} ${s.edition}`);
      say(`apoc         ${s.apocVersion ? `loaded (${s.apocVersion})` : 'NOT loaded'}`);
      say(`memory (RSS) ${s.rssMb ?? '?'} MB (heap ${local.heap}, page cache ${local.pageCache})`);
      say(`data         ${s.dir}`);
      return 0;
    }
    default:
      say('usage: tsx src/store/local/cli.ts start|stop|status');
      return 2;
  }
}

main(process.argv[2]).then((code) => process.exit(code), exitOnError());
