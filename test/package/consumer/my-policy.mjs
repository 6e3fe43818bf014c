// A user's controller in plain JavaScript, loaded by the installed CLI with --policy.
/** @returns {import('mapek').Controller} */
export default () => {
  let cycles = 0;
  return {
    name: 'count-only',
    start(ctx) {
      const tick = () => {
        cycles++;
        ctx.kernel.after(5_000, tick);
      };
      ctx.kernel.after(5_000, tick);
    },
    summary: () => ({ cycles }),
  };
};
