import { packageBuild } from '../../tsup.base';

// ESM only: the CLI is an application, and @descent/report (vega 6) cannot be require()d.
export default packageBuild(['src/index.ts', 'src/bin.ts'], { format: ['esm'] });
