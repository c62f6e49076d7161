// The typed schema of GitLab Runner's config.toml (key names and Go types from gitlab-runner `common/config.go`,
// defaults and DinD notes from the advanced-configuration and Kubernetes executor docs; spec section C). Used for
// schema findings (validate.ts), hover and completion, and generated into a JSON Schema for Taplo users.

/** The TOML shape GitLab Runner decodes a key into. */
export type RunnerValueType =
  | 'string'
  | 'integer'
  | 'float'
  | 'boolean'
  | 'datetime'
  | 'string[]'
  | 'integer[]'
  | 'float[]'
  | 'string-or-string[]'
  | 'table'
  | 'table[]'
  | 'map';

/** How strictly unknown keys of a table are reported. */
export type Strictness =
  /** Every key is known: an unknown key is a finding. */
  | 'closed'
  /** The key set changes between Runner releases: only near misses of a known key are findings. */
  | 'typo'
  /** Not modelled in detail: no unknown-key findings. */
  | 'open';

export type RunnerDefault = string | number | boolean | readonly string[];

export interface RunnerKey {
  readonly name: string;
  readonly type: RunnerValueType;
  /** One line: what the key does (for DinD when it matters). */
  readonly doc: string;
  /** GitLab docs page + anchor. */
  readonly docs: string;
  readonly default?: RunnerDefault;
  /** Allowed values of a string (or of each string of a list). */
  readonly values?: readonly string[];
  /** Smallest accepted integer. */
  readonly minimum?: number;
  /** For `table` and `table[]`: the sub-table's schema. */
  readonly table?: RunnerTableSchema;
  /** For `map`: the type of every value (`string`, `boolean` or `string[]`). */
  readonly mapValues?: 'string' | 'boolean' | 'string[]';
  /** Set when the key still works but is deprecated: what to use instead. */
  readonly deprecated?: string;
}

export interface RunnerTableSchema {
  /** Dotted path without indices, e.g. `runners.docker` (empty for the global section). */
  readonly path: string;
  readonly strictness: Strictness;
  readonly keys: ReadonlyMap<string, RunnerKey>;
  readonly doc: string;
  readonly docs: string;
}

const ADV = 'https://docs.gitlab.com/runner/configuration/advanced-configuration/';
const K8S = 'https://docs.gitlab.com/runner/executors/kubernetes/';
const FF_DOCS = 'https://docs.gitlab.com/runner/configuration/feature-flags/';

type KeyOptions = Omit<RunnerKey, 'name' | 'type' | 'doc' | 'docs'>;
type KeySpec = readonly [name: string, type: RunnerValueType, doc: string, options?: KeyOptions];

function table(
  path: string,
  strictness: Strictness,
  doc: string,
  docs: string,
  specs: readonly KeySpec[],
): RunnerTableSchema {
  const keys = new Map<string, RunnerKey>();
  for (const [name, type, keyDoc, options] of specs) keys.set(name, { name, type, doc: keyDoc, docs, ...options });
  return { path, strictness, keys, doc, docs };
}

function openTable(path: string, doc: string, docs: string): RunnerTableSchema {
  return table(path, 'open', doc, docs, []);
}

const PULL_POLICIES = ['always', 'if-not-present', 'never'];

const SERVICE_KEYS: readonly KeySpec[] = [
  [
    'name',
    'string',
    'Image of the service (variables expanded), e.g. `docker:24.0.5-dind` for a runner-defined dind daemon.',
  ],
  [
    'alias',
    'string',
    'Space- or comma-separated host names of the service; jobs reach dind as `docker` only if an alias (or the derived one) says so.',
  ],
  [
    'entrypoint',
    'string[]',
    'Overrides the image ENTRYPOINT; keep dind’s `dockerd-entrypoint.sh`, or TLS certificates are not generated.',
  ],
  [
    'command',
    'string[]',
    'Overrides the image CMD; for dind give daemon flags only (e.g. `--registry-mirror`), not `dockerd`.',
  ],
  ['environment', 'string[]', '`"K=V"` variables for this service only (Kubernetes: put `HEALTHCHECK_TCP_PORT` here).'],
  ['suspend_data_path', 'string', 'Kubernetes suspendable jobs only: where the service keeps data across suspension.'],
];

function servicesTable(path: string, docs: string): RunnerTableSchema {
  return table(
    path,
    'closed',
    'A service started for every job of this runner (before the job’s own services).',
    docs,
    SERVICE_KEYS,
  );
}

const DOCKER = table(
  'runners.docker',
  'closed',
  'Docker executor settings (docker, docker+machine, docker-autoscaler, docker-windows).',
  `${ADV}#the-runnersdocker-section`,
  [
    [
      'host',
      'string',
      'Daemon the runner uses to create job containers (not the dind service); default `$DOCKER_HOST` or the local socket.',
      { default: '' },
    ],
    ['tls_verify', 'boolean', 'TLS between the runner and `host` only; unrelated to dind TLS.', { default: false }],
    [
      'tls_cert_path',
      'string',
      'Directory with ca.pem/cert.pem/key.pem for the runner ↔ `host` connection; unrelated to dind TLS.',
      { default: '' },
    ],
    ['hostname', 'string', 'Custom hostname of the build container.', { default: '' }],
    [
      'image',
      'string',
      'Default job image when .gitlab-ci.yml sets none; always allowed by `allowed_images`.',
      { default: '' },
    ],
    [
      'runtime',
      'string',
      'OCI runtime of job and (Runner 14.4+) service containers, e.g. `sysbox-runc` for unprivileged dind.',
      { default: '' },
    ],
    ['memory', 'string', 'Memory limit of the build container (e.g. `"2g"`).'],
    ['memory_swap', 'string', 'Memory + swap limit of the build container.'],
    ['memory_reservation', 'string', 'Memory soft limit of the build container.'],
    ['cpuset_cpus', 'string', 'CPUs the build container may use (cgroups cpuset).'],
    ['cpuset_mems', 'string', 'Memory nodes the build container may use (cgroups cpuset).'],
    ['cpus', 'string', 'Number of CPUs of the build container.'],
    ['cpu_shares', 'integer', 'Relative CPU weight of the build container (0 → Docker’s 1024).', { default: 0 }],
    ['cgroup_parent', 'string', 'Parent cgroup of the build container.'],
    ['dns', 'string[]', 'DNS servers (IP addresses) of the containers.', { default: [] }],
    ['dns_search', 'string[]', 'DNS search domains of the containers.', { default: [] }],
    [
      'privileged',
      'boolean',
      'Runs build and service containers privileged: required for rootful dind.',
      { default: false },
    ],
    [
      'services_privileged',
      'boolean',
      'Privileged mode for service containers only (Runner 15.7+); unset → `privileged`.',
    ],
    ['disable_entrypoint_overwrite', 'boolean', 'Forbids jobs to override image entrypoints.', { default: false }],
    ['user', 'string', 'User that runs the job commands in the build container.'],
    ['allowed_users', 'string[]', 'Users a job may run as (`image:docker:user`).'],
    ['group_add', 'string[]', 'Additional groups of the container process.', { default: [] }],
    ['userns_mode', 'string', 'User namespace mode of job and service containers.'],
    ['cap_add', 'string[]', 'Linux capabilities added to the containers.', { default: [] }],
    ['cap_drop', 'string[]', 'Linux capabilities dropped from the containers.', { default: [] }],
    ['oom_kill_disable', 'boolean', 'Do not kill container processes on out-of-memory.', { default: false }],
    ['oom_score_adjust', 'integer', 'OOM score adjustment of the containers.', { default: 0 }],
    [
      'security_opt',
      'string[]',
      'Security options of the build container (`seccomp=<file>` is read from disk).',
      { default: [] },
    ],
    ['services_security_opt', 'string[]', 'Security options of the service containers (dind).', { default: [] }],
    ['devices', 'string[]', 'Host devices exposed to the build container.', { default: [] }],
    ['device_cgroup_rules', 'string[]', 'Device cgroup rules of the build container.', { default: [] }],
    ['services_devices', 'map', 'Host devices per service image pattern.', { mapValues: 'string[]' }],
    ['gpus', 'string', 'GPUs of the build container (`"all"`).'],
    ['service_gpus', 'string', 'GPUs of the service containers.'],
    [
      'disable_cache',
      'boolean',
      'Anonymous `volumes` become temporary per job instead of cached per runner/project.',
      { default: false },
    ],
    [
      'volumes',
      'string[]',
      '`"/path"` volumes and `"host:ctr[:ro]"` binds, mounted in build AND service containers: list `/certs/client` for dind TLS.',
      { default: [] },
    ],
    ['volume_driver', 'string', 'Volume driver of the created volumes.'],
    ['volume_driver_ops', 'map', 'Options of the volume driver.', { mapValues: 'string' }],
    ['volume_keep', 'boolean', 'Keep the job’s volumes after the job.', { default: false }],
    ['cache_dir', 'string', 'Host directory for `volumes` entries (instead of Docker volumes).'],
    ['extra_hosts', 'string[]', '`"host:ip"` entries added to build and service containers.', { default: [] }],
    ['volumes_from', 'string[]', 'Containers whose volumes are mounted (`name[:ro|rw]`).', { default: [] }],
    [
      'network_mode',
      'string',
      '`bridge`, `host`, `none` or a network name; overrides FF_NETWORK_PER_BUILD; `host` breaks dind isolation.',
    ],
    [
      'network_mtu',
      'integer',
      'MTU of per-build networks (FF_NETWORK_PER_BUILD); does not propagate into dind.',
      { default: 0 },
    ],
    ['enable_ipv6', 'boolean', 'IPv6 on per-build networks.', { default: false }],
    ['pid_mode', 'string', 'PID namespace of the build container; `host` breaks isolation.'],
    ['ipcmode', 'string', 'IPC mode of the build container (spelled `ipcmode`).'],
    ['mac_address', 'string', 'MAC address of the build container.'],
    ['links', 'string[]', 'Legacy container links.', { default: [] }],
    [
      'services',
      'table[]',
      'Services started for every job of this runner, before the job’s own services.',
      { table: servicesTable('runners.docker.services', `${ADV}#the-runnersdockerservices-section`) },
    ],
    ['services_limit', 'integer', 'Maximum number of services per job (-1 = unlimited).'],
    [
      'wait_for_services_timeout',
      'integer',
      'Seconds to wait for services (dind) to accept connections; 0 → 30, -1 disables the check.',
      { default: 30 },
    ],
    [
      'allowed_images',
      'string[]',
      'Job images allowed from .gitlab-ci.yml (doublestar globs; empty = all).',
      { default: [] },
    ],
    [
      'allowed_privileged_images',
      'string[]',
      'Job images that may run privileged (Runner 16.1+; empty = all).',
      { default: [] },
    ],
    [
      'allowed_privileged_services',
      'string[]',
      'Services that may run privileged (Runner 16.1+), matched on the name as written: must match the dind image.',
      { default: [] },
    ],
    ['allowed_pull_policies', 'string[]', 'Pull policies a job may request.', { values: PULL_POLICIES }],
    [
      'allowed_services',
      'string[]',
      'Services allowed from .gitlab-ci.yml (empty = all; config.toml services always allowed).',
      { default: [] },
    ],
    [
      'pull_policy',
      'string-or-string[]',
      '`always`, `if-not-present` or `never` (a list = fallback order).',
      { default: 'always', values: PULL_POLICIES },
    ],
    ['isolation', 'string', 'Windows isolation: `default`, `hyperv` or `process`.'],
    ['shm_size', 'integer', 'Size of /dev/shm in bytes (0 → Docker default).', { default: 0 }],
    ['tmpfs', 'map', 'tmpfs mounts of the build container: path → mount options.', { mapValues: 'string' }],
    ['services_tmpfs', 'map', 'tmpfs mounts of the service containers: path → mount options.', { mapValues: 'string' }],
    ['sysctls', 'map', 'sysctl settings of the build container.', { mapValues: 'string' }],
    ['ulimit', 'map', 'ulimits of the build container: name → `"soft[:hard]"`.', { mapValues: 'string' }],
    ['helper_image', 'string', 'Overrides the helper image (clone, artifacts, cache).'],
    [
      'helper_image_flavor',
      'string',
      'Helper image flavor, e.g. `alpine`, `ubuntu`, `ubi-fips`.',
      { default: 'alpine' },
    ],
    [
      'helper_image_autoset_arch_and_os',
      'boolean',
      'Pick the helper image for the host’s OS and architecture.',
      { default: false },
    ],
    ['container_labels', 'map', 'Labels of the created containers (variables expanded).', { mapValues: 'string' }],
    [
      'log_options',
      'table',
      'Log options of the containers (only `env` and `labels`).',
      {
        table: table(
          'runners.docker.log_options',
          'closed',
          'Container log options.',
          `${ADV}#the-runnersdocker-section`,
          [
            ['env', 'string', 'Comma-separated environment variables to log.'],
            ['labels', 'string', 'Comma-separated labels to log.'],
          ],
        ),
      },
    ],
    ['service_memory', 'string', 'Memory limit of service containers (dind).'],
    ['service_memory_swap', 'string', 'Memory + swap limit of service containers.'],
    ['service_memory_reservation', 'string', 'Memory soft limit of service containers.'],
    ['service_cpus', 'string', 'Number of CPUs of service containers.'],
    ['service_cpuset_cpus', 'string', 'CPUs service containers may use.'],
    ['service_cpu_shares', 'integer', 'CPU weight of service containers.'],
    ['service_cgroup_parent', 'string', 'Parent cgroup of service containers.'],
    ['service_slot_cgroup_template', 'string', 'Per-slot cgroup template of service containers.'],
    ['slot_cgroup_template', 'string', 'Per-slot cgroup template of the build container.'],
    ['use_slot_cgroups', 'boolean', 'Place containers in per-slot cgroups.'],
  ],
);

function capabilities(path: string): RunnerTableSchema {
  return table(
    path,
    'closed',
    'Capabilities added to or dropped from the container.',
    `${K8S}#set-a-security-policy-for-the-pod`,
    [
      ['add', 'string[]', 'Capabilities to add.'],
      ['drop', 'string[]', 'Capabilities to drop.'],
    ],
  );
}

const PROFILE_KEYS: readonly KeySpec[] = [
  ['type', 'string', 'Profile type (`RuntimeDefault`, `Localhost`, `Unconfined`).'],
  ['localhost_profile', 'string', 'Profile file on the node when `type = "Localhost"`.'],
];

function containerSecurityContext(name: string): RunnerTableSchema {
  const docs = `${K8S}#set-a-security-policy-for-the-pod`;
  return table(
    `runners.kubernetes.${name}`,
    'closed',
    'Security context of one container of the build pod; overrides the global `privileged`/`allow_privilege_escalation`.',
    docs,
    [
      [
        'privileged',
        'boolean',
        'Privileged mode of this container; for `service_container_security_context` this decides whether dind can start.',
      ],
      [
        'allow_privilege_escalation',
        'boolean',
        'allowPrivilegeEscalation of this container; `false` together with privileged is rejected.',
      ],
      ['run_as_user', 'integer', 'UID of the container process.'],
      ['run_as_group', 'integer', 'GID of the container process.'],
      ['run_as_non_root', 'boolean', 'Require a non-root user (rootful dind cannot run).'],
      ['read_only_root_filesystem', 'boolean', 'Mount the root filesystem read-only.'],
      ['selinux_type', 'string', 'SELinux type label of the container process.'],
      ['proc_mount', 'string', '`default` or `unmasked` (for building OCI images).'],
      [
        'capabilities',
        'table',
        'Capabilities added or dropped.',
        { table: capabilities(`runners.kubernetes.${name}.capabilities`) },
      ],
      [
        'seccomp_profile',
        'table',
        'Seccomp profile of the container.',
        {
          table: table(`runners.kubernetes.${name}.seccomp_profile`, 'closed', 'Seccomp profile.', docs, PROFILE_KEYS),
        },
      ],
      [
        'app_armor_profile',
        'table',
        'AppArmor profile of the container (rootless dind needs `Unconfined` on some nodes).',
        {
          table: table(
            `runners.kubernetes.${name}.app_armor_profile`,
            'closed',
            'AppArmor profile.',
            docs,
            PROFILE_KEYS,
          ),
        },
      ],
    ],
  );
}

const VOLUME_COMMON: readonly KeySpec[] = [
  ['name', 'string', 'Name of the volume (and of the object it mounts).'],
  [
    'mount_path',
    'string',
    'Path in the build and service containers: `/certs/client` shares dind’s TLS client certificates.',
  ],
  ['sub_path', 'string', 'Sub-path of the volume to mount.'],
  ['read_only', 'boolean', 'Mount read-only.'],
  ['mount_propagation', 'string', 'Mount propagation (`None`, `HostToContainer`, `Bidirectional`).'],
];

function volumeKind(kind: string, doc: string, extra: readonly KeySpec[]): KeySpec {
  const docs = `${K8S}#configure-volume-types`;
  return [
    kind,
    'table[]',
    doc,
    { table: table(`runners.kubernetes.volumes.${kind}`, 'closed', doc, docs, [...VOLUME_COMMON, ...extra]) },
  ];
}

const K8S_VOLUMES = table(
  'runners.kubernetes.volumes',
  'closed',
  'Volumes mounted into the build pod (build and service containers).',
  `${K8S}#configure-volume-types`,
  [
    volumeKind('host_path', 'Host directories or files; `/var/run/docker.sock` here is socket binding.', [
      ['host_path', 'string', 'Path on the node.'],
    ]),
    volumeKind('pvc', 'Persistent volume claims.', []),
    volumeKind('config_map', 'ConfigMaps (e.g. a dind `daemon.json`).', [
      ['items', 'map', 'Key → path of the ConfigMap items to mount.', { mapValues: 'string' }],
    ]),
    volumeKind('secret', 'Secrets.', [
      ['items', 'map', 'Key → path of the Secret items to mount.', { mapValues: 'string' }],
    ]),
    volumeKind('empty_dir', 'Pod-scoped empty directories; one at `/certs/client` shares dind TLS certificates.', [
      ['medium', 'string', '`"Memory"` for a tmpfs.'],
      ['size_limit', 'string', 'Size limit of the directory.'],
    ]),
    volumeKind('csi', 'CSI volumes.', [
      ['driver', 'string', 'CSI driver name.'],
      ['fs_type', 'string', 'Filesystem type.'],
      ['volume_attributes', 'map', 'Driver-specific attributes.', { mapValues: 'string' }],
    ]),
    volumeKind('nfs', 'NFS shares.', [
      ['server', 'string', 'NFS server.'],
      ['path', 'string', 'Exported path.'],
    ]),
  ],
);

const K8S_STRING_KEYS = [
  'host',
  'cert_file',
  'key_file',
  'ca_file',
  'bearer_token',
  'namespace',
  'namespace_overwrite_allowed',
  'context',
  'cpu_limit',
  'cpu_limit_overwrite_max_allowed',
  'cpu_request',
  'cpu_request_overwrite_max_allowed',
  'memory_limit',
  'memory_limit_overwrite_max_allowed',
  'memory_request',
  'memory_request_overwrite_max_allowed',
  'ephemeral_storage_limit',
  'ephemeral_storage_limit_overwrite_max_allowed',
  'ephemeral_storage_request',
  'ephemeral_storage_request_overwrite_max_allowed',
  'service_cpu_limit',
  'service_cpu_limit_overwrite_max_allowed',
  'service_cpu_request',
  'service_cpu_request_overwrite_max_allowed',
  'service_memory_limit',
  'service_memory_limit_overwrite_max_allowed',
  'service_memory_request',
  'service_memory_request_overwrite_max_allowed',
  'service_ephemeral_storage_limit',
  'service_ephemeral_storage_limit_overwrite_max_allowed',
  'service_ephemeral_storage_request',
  'service_ephemeral_storage_request_overwrite_max_allowed',
  'helper_cpu_limit',
  'helper_cpu_limit_overwrite_max_allowed',
  'helper_cpu_request',
  'helper_cpu_request_overwrite_max_allowed',
  'helper_memory_limit',
  'helper_memory_limit_overwrite_max_allowed',
  'helper_memory_request',
  'helper_memory_request_overwrite_max_allowed',
  'helper_ephemeral_storage_limit',
  'helper_ephemeral_storage_limit_overwrite_max_allowed',
  'helper_ephemeral_storage_request',
  'helper_ephemeral_storage_request_overwrite_max_allowed',
  'node_selector_overwrite_allowed',
  'node_tolerations_overwrite_allowed',
  'pod_labels_overwrite_allowed',
  'pod_annotations_overwrite_allowed',
  'service_account',
  'service_account_overwrite_allowed',
  'scheduler_name',
  'priority_class_name',
  'logs_base_dir',
  'scripts_base_dir',
  'cleanup_resources_timeout',
  'retry_backoff_max',
] as const;

const K8S_INTEGER_KEYS = [
  'terminationGracePeriodSeconds',
  'pod_termination_grace_period_seconds',
  'cleanup_grace_period_seconds',
  'resource_availability_check_max_attempts',
  'retry_limit',
] as const;

const K8S_BOOLEAN_KEYS = [
  'bearer_token_overwrite_allowed',
  'namespace_per_job',
  'print_pod_warning_events',
  'use_service_account_image_pull_secrets',
  'automount_service_account_token',
] as const;

const K8S_OPEN_TABLES = ['affinity', 'dns_config', 'container_lifecycle', 'retry_limits'] as const;

const KUBERNETES = table(
  'runners.kubernetes',
  'typo',
  'Kubernetes executor settings.',
  `${K8S}#other-configtoml-settings`,
  [
    ['image', 'string', 'Default job image when .gitlab-ci.yml sets none.'],
    ['privileged', 'boolean', 'Runs all containers (build, helper, services) privileged: required for rootful dind.'],
    [
      'allow_privilege_escalation',
      'boolean',
      'allowPrivilegeEscalation of all containers; `false` with privileged is rejected by Kubernetes.',
    ],
    [
      'runtime_class_name',
      'string',
      'RuntimeClass of the build pod (e.g. Sysbox); the job fails if it does not exist.',
    ],
    ['helper_image', 'string', 'Overrides the helper image.'],
    ['helper_image_flavor', 'string', 'Helper image flavor.', { default: 'alpine' }],
    ['helper_image_autoset_arch_and_os', 'boolean', 'Pick the helper image for the node’s OS and architecture.'],
    ['allowed_images', 'string[]', 'Job images allowed from .gitlab-ci.yml (empty = all).'],
    ['allowed_services', 'string[]', 'Services allowed from .gitlab-ci.yml (empty = all).'],
    ['allowed_pull_policies', 'string[]', 'Pull policies a job may request.', { values: PULL_POLICIES }],
    [
      'pull_policy',
      'string-or-string[]',
      'Image pull policy; the cluster default when unset.',
      { values: PULL_POLICIES },
    ],
    ['image_pull_secrets', 'string[]', 'Secrets used to pull images.'],
    ['poll_interval', 'integer', 'Seconds between pod status checks.', { default: 3 }],
    ['poll_timeout', 'integer', 'Seconds to wait for the build pod (and dind) to start.', { default: 180 }],
    ['cap_add', 'string[]', 'Linux capabilities added to the containers.'],
    ['cap_drop', 'string[]', 'Linux capabilities dropped from the containers.'],
    [
      'dns_policy',
      'string',
      'Pod DNS policy.',
      { values: ['none', 'default', 'cluster-first', 'cluster-first-with-host-net'] },
    ],
    [
      'node_selector',
      'map',
      'Node labels the build pod must match (isolate privileged dind builds).',
      { mapValues: 'string' },
    ],
    ['node_tolerations', 'map', 'Taints the build pod tolerates.', { mapValues: 'string' }],
    ['pod_labels', 'map', 'Labels of the build pod.', { mapValues: 'string' }],
    ['pod_annotations', 'map', 'Annotations of the build pod.', { mapValues: 'string' }],
    [
      'services',
      'table[]',
      'Services started for every job of this runner.',
      { table: servicesTable('runners.kubernetes.services', `${K8S}#define-a-list-of-services`) },
    ],
    ['volumes', 'table', 'Volumes mounted into build and service containers.', { table: K8S_VOLUMES }],
    [
      'pod_security_context',
      'table',
      'Security context of the build pod.',
      {
        table: table(
          'runners.kubernetes.pod_security_context',
          'closed',
          'Security context of the build pod.',
          `${K8S}#set-a-security-policy-for-the-pod`,
          [
            ['fs_group', 'integer', 'Supplemental group of all containers.'],
            ['fs_group_change_policy', 'string', 'When to change volume ownership to `fs_group`.'],
            ['run_as_group', 'integer', 'GID of the container processes.'],
            ['run_as_non_root', 'boolean', 'Require non-root users (rootful dind cannot run).'],
            ['run_as_user', 'integer', 'UID of the container processes.'],
            ['supplemental_groups', 'integer[]', 'Extra groups of the first process of each container.'],
            ['selinux_type', 'string', 'SELinux type label of all containers.'],
            [
              'seccomp_profile',
              'table',
              'Seccomp profile of the pod.',
              {
                table: table(
                  'runners.kubernetes.pod_security_context.seccomp_profile',
                  'closed',
                  'Seccomp profile.',
                  `${K8S}#set-a-security-policy-for-the-pod`,
                  PROFILE_KEYS,
                ),
              },
            ],
            [
              'app_armor_profile',
              'table',
              'AppArmor profile of the pod.',
              {
                table: table(
                  'runners.kubernetes.pod_security_context.app_armor_profile',
                  'closed',
                  'AppArmor profile.',
                  `${K8S}#set-a-security-policy-for-the-pod`,
                  PROFILE_KEYS,
                ),
              },
            ],
          ],
        ),
      },
    ],
    [
      'build_container_security_context',
      'table',
      'Security context of the build container.',
      { table: containerSecurityContext('build_container_security_context') },
    ],
    [
      'helper_container_security_context',
      'table',
      'Security context of the helper container.',
      { table: containerSecurityContext('helper_container_security_context') },
    ],
    [
      'service_container_security_context',
      'table',
      'Security context of service containers: its `privileged` overrides the global one for dind.',
      { table: containerSecurityContext('service_container_security_context') },
    ],
    [
      'init_permissions_container_security_context',
      'table',
      'Security context of the init-permissions container.',
      { table: containerSecurityContext('init_permissions_container_security_context') },
    ],
    [
      'host_aliases',
      'table[]',
      'Extra /etc/hosts entries of the pod.',
      {
        table: table('runners.kubernetes.host_aliases', 'closed', 'A host alias.', `${K8S}#other-configtoml-settings`, [
          ['ip', 'string', 'IP address.'],
          ['hostnames', 'string[]', 'Host names for the IP.'],
        ]),
      },
    ],
    [
      'pod_spec',
      'table[]',
      'Patches applied to the generated pod spec.',
      {
        table: table(
          'runners.kubernetes.pod_spec',
          'closed',
          'A pod spec patch.',
          `${K8S}#overwrite-generated-pod-specifications`,
          [
            ['name', 'string', 'Name of the patch.'],
            ['patch_path', 'string', 'File holding the patch.'],
            ['patch', 'string', 'The patch (YAML or JSON).'],
            ['patch_type', 'string', '`strategic`, `merge` or `json`.', { values: ['strategic', 'merge', 'json'] }],
          ],
        ),
      },
    ],
    ...K8S_STRING_KEYS.map((k): KeySpec => [k, 'string', `Kubernetes executor setting \`${k}\`.`]),
    ...K8S_INTEGER_KEYS.map((k): KeySpec => [k, 'integer', `Kubernetes executor setting \`${k}\`.`]),
    ...K8S_BOOLEAN_KEYS.map((k): KeySpec => [k, 'boolean', `Kubernetes executor setting \`${k}\`.`]),
    ...K8S_OPEN_TABLES.map((k): KeySpec => [
      k,
      'table',
      `Kubernetes executor setting \`${k}\` (not modelled in detail).`,
      { table: openTable(`runners.kubernetes.${k}`, `Kubernetes \`${k}\`.`, `${K8S}#other-configtoml-settings`) },
    ]),
  ],
);

/** Feature flags that change DinD behaviour (spec C5); other `FF_*` names are accepted too. */
export const KNOWN_FEATURE_FLAGS: readonly string[] = [
  'FF_NETWORK_PER_BUILD',
  'FF_KUBERNETES_HONOR_ENTRYPOINT',
  'FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY',
  'FF_USE_INIT_WITH_DOCKER_EXECUTOR',
  'FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR',
  'FF_USE_POWERSHELL_PATH_RESOLVER',
  'FF_USE_FASTZIP',
  'FF_SCRIPT_SECTIONS',
  'FF_USE_DIRECT_DOWNLOAD',
  'FF_ENABLE_JOB_CLEANUP',
  'FF_RETRIEVE_POD_WARNING_EVENTS',
  'FF_PRINT_POD_EVENTS',
  'FF_WAIT_FOR_POD_TO_BE_REACHABLE',
  'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION',
  'FF_SET_PERMISSIONS_BEFORE_CLEANUP',
  'FF_TIMESTAMPS',
];

const FEATURE_FLAGS = table(
  'runners.feature_flags',
  'open',
  'Feature flags (name → bool); they take precedence over `FF_*` job variables.',
  FF_DOCS,
  [],
);

const LEGACY_CACHE_KEYS: readonly (readonly [string, RunnerValueType])[] = [
  ['ServerAddress', 'string'],
  ['AccessKey', 'string'],
  ['SecretKey', 'string'],
  ['BucketName', 'string'],
  ['BucketLocation', 'string'],
  ['Insecure', 'boolean'],
];

const CACHE = table('runners.cache', 'closed', 'Distributed cache settings.', `${ADV}#the-runnerscache-section`, [
  ['Type', 'string', 'Cache backend: `s3`, `gcs` or `azure` (anything else disables the distributed cache).'],
  ['Path', 'string', 'Path prefix of cache URLs.'],
  ['Shared', 'boolean', 'Share the cache between runners.', { default: false }],
  ['MaxUploadedArchiveSize', 'integer', 'Largest cache archive uploaded, in bytes.'],
  [
    's3',
    'table',
    'S3 settings.',
    { table: openTable('runners.cache.s3', 'S3 cache settings.', `${ADV}#the-runnerscaches3-section`) },
  ],
  [
    'gcs',
    'table',
    'Google Cloud Storage settings.',
    { table: openTable('runners.cache.gcs', 'GCS cache settings.', `${ADV}#the-runnerscachegcs-section`) },
  ],
  [
    'azure',
    'table',
    'Azure Blob Storage settings.',
    { table: openTable('runners.cache.azure', 'Azure cache settings.', `${ADV}#the-runnerscacheazure-section`) },
  ],
  ...LEGACY_CACHE_KEYS.map(([k, type]): KeySpec => [
    k,
    type,
    `Legacy top-level S3 setting of old config.toml files; Runner moved it to \`[runners.cache.s3] ${k}\`.`,
    { deprecated: `[runners.cache.s3] ${k}` },
  ]),
]);

/** Executors GitLab Runner knows (R2); `docker-ssh` variants were removed but may still appear in old files. */
export const EXECUTORS: readonly string[] = [
  'shell',
  'docker',
  'docker-windows',
  'ssh',
  'parallels',
  'virtualbox',
  'docker+machine',
  'kubernetes',
  'docker-autoscaler',
  'instance',
  'custom',
  'docker-ssh',
  'docker-ssh+machine',
];

function executorTable(name: string, doc: string, anchor: string): KeySpec {
  return [name, 'table', doc, { table: openTable(`runners.${name}`, doc, `${ADV}#${anchor}`) }];
}

const RUNNERS = table('runners', 'closed', 'One registered runner (worker).', `${ADV}#the-runners-section`, [
  ['name', 'string', 'Description of the runner; findings name the runner by it.'],
  ['url', 'string', 'GitLab instance URL.'],
  ['id', 'integer', 'Runner ID.'],
  ['token', 'string', 'Runner authentication token.'],
  ['token_obtained_at', 'datetime', 'When the token was obtained.'],
  ['token_expires_at', 'datetime', 'When the token expires.'],
  ['tls-ca-file', 'string', 'CA file for HTTPS to GitLab (not Docker).'],
  ['tls-cert-file', 'string', 'Client certificate for HTTPS to GitLab (not Docker).'],
  ['tls-key-file', 'string', 'Client key for HTTPS to GitLab (not Docker).'],
  ['limit', 'integer', 'Maximum concurrent jobs of this runner (0 = unlimited).', { default: 0 }],
  ['output_limit', 'integer', 'Maximum job log size in KB.', { default: 4096 }],
  ['request_concurrency', 'integer', 'Concurrent requests for new jobs.', { default: 1 }],
  ['unhealthy_requests_limit', 'integer', 'Unhealthy responses before the worker is disabled.'],
  ['unhealthy_interval', 'string', 'How long an unhealthy worker stays disabled (duration).'],
  ['job_status_final_update_retry_limit', 'integer', 'Retries of the final job status update.'],
  [
    'executor',
    'string',
    'How jobs run; dind needs `docker`, `docker+machine`, `docker-autoscaler` or `kubernetes`.',
    { values: EXECUTORS },
  ],
  ['shell', 'string', 'Shell of the job script.', { values: ['bash', 'sh', 'cmd', 'pwsh', 'powershell', ''] }],
  ['builds_dir', 'string', 'Directory of the builds.'],
  ['cache_dir', 'string', 'Directory of the build cache (must be a `volumes` entry for the docker executor).'],
  ['clone_url', 'string', 'Overrides the URL used to clone.'],
  [
    'environment',
    'string[]',
    '`"K=V"` variables for every job; job variables override them (e.g. `DOCKER_TLS_CERTDIR`, `NO_PROXY`).',
  ],
  ['pre_clone_script', 'string', 'Deprecated: commands before cloning.', { deprecated: 'pre_get_sources_script' }],
  ['post_clone_script', 'string', 'Deprecated: commands after cloning.', { deprecated: 'post_get_sources_script' }],
  ['pre_get_sources_script', 'string', 'Commands before fetching sources.'],
  ['post_get_sources_script', 'string', 'Commands after fetching sources.'],
  ['pre_build_script', 'string', 'Commands before the job script (e.g. write the Docker client proxy config).'],
  ['post_build_script', 'string', 'Commands after the job script.'],
  ['debug_trace_disabled', 'boolean', 'Disable CI_DEBUG_TRACE.', { default: false }],
  ['clean_git_config', 'boolean', 'Clean the Git configuration after the job.'],
  ['safe_directory_checkout', 'boolean', 'Mark the build directory as a Git safe.directory.'],
  ['strict_check_interval', 'boolean', 'Poll strictly every `check_interval`.'],
  ['prepare_timeout', 'string', 'Timeout of the prepare stage (duration).'],
  ['get_sources_timeout', 'string', 'Timeout of the get-sources stage (duration).'],
  [
    'feature_flags',
    'map',
    'Feature flags, e.g. `FF_NETWORK_PER_BUILD`, `FF_KUBERNETES_HONOR_ENTRYPOINT`.',
    { mapValues: 'boolean', table: FEATURE_FLAGS },
  ],
  [
    'custom_build_dir',
    'table',
    'Job-specific build directories.',
    {
      table: table(
        'runners.custom_build_dir',
        'closed',
        'Custom build directories.',
        `${ADV}#the-runnerscustom_build_dir-section`,
        [['enabled', 'boolean', 'Allow `GIT_CLONE_PATH`.']],
      ),
    },
  ],
  ['cache', 'table', 'Distributed cache.', { table: CACHE }],
  [
    'docker',
    'table',
    'Docker executor settings: privileged, volumes (`/certs/client`), services, allowlists.',
    { table: DOCKER },
  ],
  [
    'kubernetes',
    'table',
    'Kubernetes executor settings: privileged, volumes, services, security contexts.',
    { table: KUBERNETES },
  ],
  executorTable('machine', 'Docker Machine autoscaling (docker+machine).', 'the-runnersmachine-section'),
  executorTable('autoscaler', 'Fleeting autoscaler (docker-autoscaler, instance).', 'the-runnersautoscaler-section'),
  executorTable('instance', 'Instance executor settings.', 'the-runnersinstance-section'),
  executorTable('ssh', 'SSH executor settings.', 'the-runnersssh-section'),
  executorTable('parallels', 'Parallels executor settings.', 'the-runnersparallels-section'),
  executorTable('virtualbox', 'VirtualBox executor settings.', 'the-runnersvirtualbox-section'),
  executorTable('custom', 'Custom executor settings.', 'the-runnerscustom-section'),
  executorTable('referees', 'Job referees (metrics).', 'the-runnersreferees-section'),
  executorTable('artifact', 'Artifact settings.', 'the-runners-section'),
  executorTable('experimental', 'Experimental settings.', 'the-runners-section'),
]);

/** The whole config.toml: the global section with `[session_server]` and `[[runners]]`. */
export const RUNNER_SCHEMA: RunnerTableSchema = table(
  '',
  'closed',
  'GitLab Runner config.toml.',
  `${ADV}#the-global-section`,
  [
    [
      'concurrent',
      'integer',
      'Maximum concurrent jobs over all `[[runners]]`; 0 makes the runner exit.',
      { minimum: 1, default: 1 },
    ],
    ['check_interval', 'integer', 'Seconds between job requests (<= 0 → 3).', { default: 3 }],
    ['log_level', 'string', 'Log level.', { values: ['debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic'] }],
    ['log_format', 'string', 'Log format.', { values: ['runner', 'text', 'json'] }],
    ['user', 'string', 'User that runs jobs for the shell executor.'],
    ['listen_address', 'string', 'Address of the Prometheus metrics server.'],
    ['shutdown_timeout', 'integer', 'Seconds until a forceful shutdown times out.', { default: 30 }],
    [
      'connection_max_age',
      'string',
      'Maximum age of a TLS keepalive connection to GitLab (duration).',
      { default: '15m' },
    ],
    ['sentry_dsn', 'string', 'Sentry DSN for error tracking.'],
    [
      'session_server',
      'table',
      'Interactive web terminal session server.',
      {
        table: table('session_server', 'closed', 'Session server.', `${ADV}#the-session_server-section`, [
          ['listen_address', 'string', 'Address the session server listens on.'],
          ['advertise_address', 'string', 'Address advertised to GitLab.'],
          ['session_timeout', 'integer', 'Seconds a session stays open after the job.', { default: 1800 }],
        ]),
      },
    ],
    ['runners', 'table[]', 'The registered runners: one `[[runners]]` table each.', { table: RUNNERS }],
  ],
);

/** The schema of the table at `tablePath` (dotted, no indices: `runners.docker.services`), or undefined. */
export function lookupRunnerTable(tablePath: string): RunnerTableSchema | undefined {
  if (tablePath === '') return RUNNER_SCHEMA;
  let current: RunnerTableSchema | undefined = RUNNER_SCHEMA;
  for (const part of tablePath.split('.')) {
    const key: RunnerKey | undefined = current?.keys.get(part);
    current = key?.table;
    if (!current) return undefined;
  }
  return current;
}

/** The schema of `key` in the table at `tablePath`, or undefined when unknown. */
export function lookupRunnerKey(tablePath: string, key: string): RunnerKey | undefined {
  return lookupRunnerTable(tablePath)?.keys.get(key);
}

/** Every modelled table, depth first (the root first). */
export function allRunnerTables(): RunnerTableSchema[] {
  const out: RunnerTableSchema[] = [];
  const walk = (t: RunnerTableSchema): void => {
    out.push(t);
    for (const k of t.keys.values()) if (k.table) walk(k.table);
  };
  walk(RUNNER_SCHEMA);
  return out;
}
