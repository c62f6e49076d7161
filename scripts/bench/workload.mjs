// Generated pipelines for the benchmark and the soak: N jobs over a root file and F included files, in a plain,
// anchor-heavy or extends-heavy style, and runner configs with R `[[runners]]`.

/** Files of one workload: workspace-relative path → text. With no included files, every job is in the root. */
export function pipelineWorkload(jobs, includedFiles, style = 'plain') {
  const files = {};
  const perFile = Math.ceil(jobs / includedFiles);
  const includes = [];
  let made = 0;
  for (let f = 0; f < includedFiles; f++) {
    const parts = [templates(f, style)];
    for (let j = 0; j < perFile && made < jobs; j++, made++) parts.push(job(f, j, style));
    const path = `ci/part-${f}.yml`;
    files[path] = parts.join('\n');
    includes.push(`  - local: ${path}`);
  }
  if (includedFiles === 0) {
    const parts = [templates(0, style)];
    for (let j = 0; j < jobs; j++) parts.push(job(0, j, style));
    files['.gitlab-ci.yml'] = ['stages: [build, test]', 'default:', '  tags: [docker]', '', ...parts].join('\n');
    return files;
  }
  files['.gitlab-ci.yml'] = [
    'stages: [build, test]',
    'default:',
    '  tags: [docker]',
    'variables:',
    '  DOCKER_TLS_CERTDIR: "/certs"',
    'include:',
    ...includes,
    '',
  ].join('\n');
  return files;
}

function templates(f, style) {
  const dind = [
    '  image: docker:24.0.7',
    '  services:',
    '    - name: docker:24.0.7-dind',
    '      alias: docker',
    '  variables:',
    '    DOCKER_HOST: tcp://docker:2376',
    '    DOCKER_TLS_VERIFY: "1"',
    '    DOCKER_CERT_PATH: "/certs/client"',
  ];
  if (style === 'anchors')
    return [`.dind-${f}: &dind-${f}`, ...dind, `.vars-${f}: &vars-${f}`, '  GIT_DEPTH: "1"', ''].join('\n');
  if (style === 'extends') {
    return [
      `.base-${f}:`,
      '  tags: [docker]',
      `.dind-${f}:`,
      `  extends: .base-${f}`,
      ...dind,
      `.build-${f}:`,
      `  extends: .dind-${f}`,
      '  stage: build',
      '',
    ].join('\n');
  }
  return [`.dind-${f}:`, ...dind, ''].join('\n');
}

function job(f, j, style) {
  const name = `job-${f}-${j}`;
  const script = ['  script:', `    - docker build -t app-${j} .`, `    - docker push app-${j}`];
  if (j % 3 === 2) return [`${name}:`, '  image: alpine:3.20', '  script:', `    - echo ${j}`, ''].join('\n');
  if (style === 'anchors')
    return [`${name}:`, `  <<: *dind-${f}`, '  variables:', `    <<: *vars-${f}`, `    N: "${j}"`, ...script, ''].join(
      '\n',
    );
  if (style === 'extends')
    return [`${name}:`, `  extends: .build-${f}`, '  variables:', `    N: "${j}"`, ...script, ''].join('\n');
  return [`${name}:`, `  extends: .dind-${f}`, '  variables:', `    N: "${j}"`, ...script, ''].join('\n');
}

/** A runner config with `count` Docker runners, tagged `docker`, set up for dind with TLS. */
export function runnerWorkload(count) {
  const parts = ['concurrent = 4', ''];
  for (let i = 0; i < count; i++) {
    parts.push(
      '[[runners]]',
      `  name = "runner-${i}"`,
      '  url = "https://gitlab.example.com"',
      '  token = "glrt-REDACTED"',
      '  executor = "docker"',
      '  [runners.docker]',
      '    image = "alpine:3.20"',
      '    privileged = true',
      '    volumes = ["/certs/client", "/cache"]',
      '',
    );
  }
  return parts.join('\n');
}
