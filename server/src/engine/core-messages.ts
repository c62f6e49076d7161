// The analysis' own messages (`dind/no-runner-config`, `dind/internal-error`) and an English renderer over every core
// catalogue, for the model builders: they cannot use the full registry (messages.ts imports the rules, which import
// the model).

import { CI_MESSAGES } from './ci/messages';
import { MessageRegistry, isMsg, type Catalogs, type Msg } from './i18n';
import { RUNNER_MESSAGES } from './runner/messages';

export const CORE_MESSAGES: Catalogs = {
  en: {
    'core.no-runner-config':
      'No runner config.toml was found or given: runner-dependent checks are skipped. Pass --runner-config (or set gitlabCiDind.runnerConfigs), or assume GitLab.com instance runners with --assume-runner gitlab-saas.',
    'core.internal-error': 'Internal error (please report it): {detail}',
    'core.rule-failed': 'rule {rule} failed: {detail}',
    'core.names-many': '{names} and {last}',
    'core.names-more': '{names} and {count} more',
    'core.and': '{first} and {rest}',
  },
  'zh-cn': {
    'core.no-runner-config':
      '未找到也未指定 Runner 的 config.toml：已跳过依赖 Runner 的检查。请传入 --runner-config（或设置 gitlabCiDind.runnerConfigs），或使用 --assume-runner gitlab-saas 假定使用 GitLab.com 实例 Runner。',
    'core.internal-error': '内部错误（请报告此问题）：{detail}',
    'core.rule-failed': '规则 {rule} 运行失败：{detail}',
    'core.names-many': '{names} 和 {last}',
    'core.names-more': '{names} 以及另外 {count} 个',
    'core.and': '{first} 和 {rest}',
  },
};

/** Every catalogue that does not belong to a rule. */
export const CORE_CATALOG_LIST: readonly Catalogs[] = [CORE_MESSAGES, CI_MESSAGES, RUNNER_MESSAGES];

const CORE_REGISTRY = new MessageRegistry();
for (const c of CORE_CATALOG_LIST) CORE_REGISTRY.add(c);

/** The English text and the localisable message of a model finding (or fix title) written as text or `Msg`. */
export function coreText(m: string | Msg): { readonly text: string; readonly l10n?: Msg } {
  return isMsg(m) ? { text: CORE_REGISTRY.render('en', m), l10n: m } : { text: m };
}
