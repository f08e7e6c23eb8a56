/**
 * The pinned charting library of the HTML report: Apache ECharts, its npm version and the sha256 of its
 * `dist/echarts.min.js` as published (checked by `_build.ts` when refreshing and by
 * `tests/report_html_assets_test.ts` against the vendored copy in `echarts.ts`).
 *
 * @module
 */

/** The npm version of `echarts` vendored in `echarts.ts`. */
export const ECHARTS_VERSION = "6.1.0";
/** The sha256 of `dist/echarts.min.js` of that version. */
export const ECHARTS_SHA256 = "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0";
