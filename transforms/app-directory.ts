/**
 * FROM python:3.12-slim                 FROM python:3.12-slim
 *                                  ->   WORKDIR /app
 * COPY . .                              COPY . .
 * RUN pip install -r requirements.txt   RUN pip install -r requirements.txt
 * CMD ["gunicorn", "wsgi:app"]          CMD ["gunicorn", "wsgi:app"]
 *
 * A single stage with no WORKDIR copies the app into `/`, beside the system, where no runtime
 * stage can receive it on its own: every layout transform stops at "no WORKDIR". `WORKDIR /app`
 * before the first copy (or install) moves the relative copies, the RUNs' relative paths and the
 * start command's working directory together. An app whose every copy already writes into one
 * directory by absolute path (`COPY ./src /src`), which the start command names
 * (`CMD /src/run_worker.sh`), gets `WORKDIR /src` instead: nothing moves. core/root-app.ts decides;
 * reported instead where something names those files at the root (`CMD ["/start.sh"]`), copies
 * mix relative and absolute targets or go to several directories, or /app is taken.
 */
import { defineTransform } from '../src/core/transform.js';
import { appDirectoryEdits, ROOT_APP_DIR, rootApp } from '../src/core/root-app.js';

export default defineTransform({
  id: 'app-directory',
  title: 'Give an app that lives in / a directory of its own',
  rationale:
    'Without a WORKDIR, `COPY . .` puts the app at the root of the image, among /usr and /etc, and ' +
    'the program starts there. A runtime stage cannot take the app from the builder without taking ' +
    'the whole system with it. A WORKDIR before the first copy moves the app, the relative paths of ' +
    'the build and the working directory of the program together, so the image can be split.',
  uvOnly: false,
  detect(doc) {
    const app = rootApp(doc);
    if (app.kind === 'none') return [];
    if (app.kind === 'kept')
      return [
        {
          message: `${app.why}; the image keeps its single stage: add a WORKDIR by hand`,
          range: { start: app.instr.start, end: app.instr.end },
          severity: 'warning',
        },
      ];
    if (app.copiedThere)
      return [
        {
          message: `the app lived in / (no WORKDIR), its files copied to ${app.dir} by absolute path, and the start command runs from there: WORKDIR ${app.dir} before ${app.at.keyword} makes it the app directory, which a runtime stage can receive; no file moves, only the working directory of the RUNs and of the program`,
          range: { start: app.at.start, end: app.at.end },
          edits: appDirectoryEdits(doc)!,
        },
      ];
    return [
      {
        message: `the app lived in / (no WORKDIR): WORKDIR ${ROOT_APP_DIR} before ${app.at.keyword} gives it a directory of its own, which a runtime stage can receive; the copies and the program's working directory move there together${app.follow.length > 0 ? `, and the paths that named copied files at the root now name them in ${ROOT_APP_DIR}` : ''}`,
        range: { start: app.at.start, end: app.at.end },
        edits: appDirectoryEdits(doc)!,
      },
    ];
  },
});
