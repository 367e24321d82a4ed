import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/model.js';
import { commitMessage } from '../../src/report/pull-request.js';

describe('commitMessage', () => {
  it('names each Dockerfile and the transforms that changed it', () => {
    const report = buildReport({
      version: '1',
      mode: 'write',
      transforms: [],
      results: [
        {
          path: 'Dockerfile',
          status: 'changed',
          changes: [
            { path: 'Dockerfile', before: 'a', after: 'b' },
            { path: '.dockerignore', before: null, after: '.env\n' },
          ],
          findings: [
            { transform: 'pin-uv', title: '', message: '', severity: 'warning', fixed: true },
            { transform: 'pin-uv', title: '', message: '', severity: 'warning', fixed: true },
            { transform: 'exec-form', title: '', message: '', severity: 'warning', fixed: false },
          ],
          errors: [],
          notes: [],
        },
      ],
    });
    expect(commitMessage(report)).toBe(
      'Harden Dockerfile with dockmig\n\nDockerfile:\n- pin-uv\n- also: .dockerignore\n',
    );
  });
});
