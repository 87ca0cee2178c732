import path from 'node:path';
import { projectRoot } from '../../config/index.js';

/** Where the Maven project of the local Neo4j lives and where its build lands. */
export const mavenProject = path.join(projectRoot, 'neo4j');
export const buildDir = path.join(mavenProject, 'target');
export const libDir = path.join(buildDir, 'lib');
export const pluginsDir = path.join(buildDir, 'plugins');
export const classesDir = path.join(buildDir, 'classes');
/** Written after a successful build; holds the hash of the inputs it was built from. */
export const buildStamp = path.join(buildDir, 'build.stamp');

/** Files inside one local database's folder. */
export function instancePaths(dir: string) {
  return {
    home: path.join(dir, 'home'),
    conf: path.join(dir, 'neo4j.conf'),
    pid: path.join(dir, 'neo4j.pid'),
    out: path.join(dir, 'neo4j.out'),
  };
}
