package deploy_test

// deploy/kubernetes: both variants, unrendered and (with kubectl) rendered.

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

type objectMeta struct {
	Name        string            `yaml:"name"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type header struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   objectMeta `yaml:"metadata"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port scalar `yaml:"port"`
	} `yaml:"httpGet"`
}

type container struct {
	Name  string   `yaml:"name"`
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name     string `yaml:"name"`
				Key      string `yaml:"key"`
				Optional *bool  `yaml:"optional"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	EnvFrom []struct {
		ConfigMapRef *struct {
			Name string `yaml:"name"`
		} `yaml:"configMapRef"`
		SecretRef *struct {
			Name string `yaml:"name"`
		} `yaml:"secretRef"`
	} `yaml:"envFrom"`
	StartupProbe   *probe `yaml:"startupProbe"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	Lifecycle      struct {
		PreStop *struct {
			Sleep *struct {
				Seconds int `yaml:"seconds"`
			} `yaml:"sleep"`
		} `yaml:"preStop"`
	} `yaml:"lifecycle"`
	Resources struct {
		Requests map[string]scalar `yaml:"requests"`
		Limits   map[string]scalar `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext struct {
		RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
		ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		Privileged               *bool `yaml:"privileged"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type deployment struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     struct {
		Replicas *int `yaml:"replicas"`
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Strategy struct {
			Type string `yaml:"type"`
		} `yaml:"strategy"`
		Template struct {
			Metadata objectMeta `yaml:"metadata"`
			Spec     struct {
				TerminationGracePeriodSeconds *int  `yaml:"terminationGracePeriodSeconds"`
				AutomountServiceAccountToken  *bool `yaml:"automountServiceAccountToken"`
				SecurityContext               struct {
					RunAsNonRoot   *bool  `yaml:"runAsNonRoot"`
					RunAsUser      *int64 `yaml:"runAsUser"`
					SeccompProfile struct {
						Type string `yaml:"type"`
					} `yaml:"seccompProfile"`
				} `yaml:"securityContext"`
				Containers []container `yaml:"containers"`
				Volumes    []struct {
					Name                  string    `yaml:"name"`
					EmptyDir              *struct{} `yaml:"emptyDir"`
					PersistentVolumeClaim *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type service struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     struct {
		Selector map[string]string `yaml:"selector"`
		Ports    []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort scalar `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type pdb struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     struct {
		MinAvailable   *scalar `yaml:"minAvailable"`
		MaxUnavailable *scalar `yaml:"maxUnavailable"`
		Selector       struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
	} `yaml:"spec"`
}

type configMap struct {
	Metadata objectMeta        `yaml:"metadata"`
	Data     map[string]string `yaml:"data"`
}

type secret struct {
	Metadata   objectMeta        `yaml:"metadata"`
	Type       string            `yaml:"type"`
	StringData map[string]string `yaml:"stringData"`
	Data       map[string]string `yaml:"data"`
}

type kustomization struct {
	Kind      string   `yaml:"kind"`
	Resources []string `yaml:"resources"`
	Patches   []struct {
		Path string `yaml:"path"`
	} `yaml:"patches"`
	Images []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
	} `yaml:"images"`
}

// objects holds one rendering of the manifests, by kind.
type objects struct {
	deployments []deployment
	services    []service
	pdbs        []pdb
	configMaps  []configMap
	secrets     []secret
	kinds       []string
}

func (o *objects) add(t *testing.T, n *yaml.Node) {
	t.Helper()
	var h header
	decode(t, n, &h)
	o.kinds = append(o.kinds, h.Kind)
	switch h.Kind {
	case "Deployment":
		var d deployment
		decode(t, n, &d)
		o.deployments = append(o.deployments, d)
	case "Service":
		var s service
		decode(t, n, &s)
		o.services = append(o.services, s)
	case "PodDisruptionBudget":
		var p pdb
		decode(t, n, &p)
		o.pdbs = append(o.pdbs, p)
	case "ConfigMap":
		var c configMap
		decode(t, n, &c)
		o.configMaps = append(o.configMaps, c)
	case "Secret":
		var s secret
		decode(t, n, &s)
		o.secrets = append(o.secrets, s)
	}
}

// subset reports whether every label of sel is in labels with the same value.
func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

// portOf resolves a probe or Service target port, by number or by name.
func portOf(c container, p scalar) int {
	if n, err := strconv.Atoi(string(p)); err == nil {
		return n
	}
	for _, cp := range c.Ports {
		if cp.Name == string(p) {
			return cp.ContainerPort
		}
	}
	return 0
}

func mustBool(b *bool, want bool) bool { return b != nil && *b == want }

// checkDeployment holds a rendering to the contract; replicas is the count
// the variant wants.
func checkDeployment(t *testing.T, o objects, replicas int) {
	t.Helper()
	if len(o.deployments) != 1 {
		t.Fatalf("got %d Deployments, want 1", len(o.deployments))
	}
	d := o.deployments[0]
	if d.Spec.Replicas == nil || *d.Spec.Replicas != replicas {
		t.Errorf("replicas %v, want %d", d.Spec.Replicas, replicas)
	}
	sel := d.Spec.Selector.MatchLabels
	if !subset(sel, d.Spec.Template.Metadata.Labels) {
		t.Errorf("selector %v does not match the pod labels %v", sel, d.Spec.Template.Metadata.Labels)
	}
	pod := d.Spec.Template.Spec
	if !mustBool(pod.SecurityContext.RunAsNonRoot, true) {
		t.Error("pod securityContext.runAsNonRoot is not true")
	}
	if u := pod.SecurityContext.RunAsUser; u == nil || *u == 0 {
		t.Errorf("pod securityContext.runAsUser %v, want the image's non-root uid 65532", u)
	}
	if got := pod.SecurityContext.SeccompProfile.Type; got != "RuntimeDefault" {
		t.Errorf("pod seccompProfile %q, want RuntimeDefault", got)
	}
	if !mustBool(pod.AutomountServiceAccountToken, false) {
		t.Error("automountServiceAccountToken is not false (the bot calls no Kubernetes API)")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("got %d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if !slices.Equal(c.Args, []string{"serve"}) {
		t.Errorf("args %q, want [serve]", c.Args)
	}
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("container ports %+v, want 8080 only", c.Ports)
	}

	probes := []struct {
		name string
		p    *probe
		path string
	}{
		{"livenessProbe", c.LivenessProbe, "/healthz"},
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
		{"startupProbe", c.StartupProbe, "/healthz"},
	}
	for _, p := range probes {
		if p.p == nil || p.p.HTTPGet == nil {
			t.Errorf("%s: want an httpGet probe", p.name)
			continue
		}
		if p.p.HTTPGet.Path != p.path || portOf(c, p.p.HTTPGet.Port) != 8080 {
			t.Errorf("%s: GET %s on port %q, want GET %s on 8080", p.name, p.p.HTTPGet.Path, p.p.HTTPGet.Port, p.path)
		}
	}

	for _, r := range []string{"cpu", "memory"} {
		if c.Resources.Requests[r] == "" {
			t.Errorf("resources.requests.%s is not set", r)
		}
	}
	if c.Resources.Limits["memory"] == "" {
		t.Error("resources.limits.memory is not set")
	}

	sc := c.SecurityContext
	if !mustBool(sc.ReadOnlyRootFilesystem, true) {
		t.Error("readOnlyRootFilesystem is not true")
	}
	if !mustBool(sc.AllowPrivilegeEscalation, false) {
		t.Error("allowPrivilegeEscalation is not false")
	}
	if !mustBool(sc.RunAsNonRoot, true) {
		t.Error("container runAsNonRoot is not true")
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Error("privileged is true")
	}
	if !slices.Equal(sc.Capabilities.Drop, []string{"ALL"}) {
		t.Errorf("capabilities.drop %q, want [ALL]", sc.Capabilities.Drop)
	}
	if sc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("container seccompProfile %q, want RuntimeDefault", sc.SeccompProfile.Type)
	}

	// With a read-only root, /tmp must be a volume.
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m.Name
	}
	tmp := false
	for _, v := range pod.Volumes {
		if v.Name == mounts["/tmp"] && v.EmptyDir != nil {
			tmp = true
		}
	}
	if !tmp {
		t.Error("/tmp is not an emptyDir volume")
	}

	// The drain window: preStop + ALEXA_BRIEF_SHUTDOWN_TIMEOUT must fit
	// in the grace period, with a margin for closing the store.
	drain := drainDefault
	var cm configMap
	for _, ref := range c.EnvFrom {
		switch {
		case ref.ConfigMapRef != nil:
			i := slices.IndexFunc(o.configMaps, func(m configMap) bool { return m.Metadata.Name == ref.ConfigMapRef.Name })
			if i < 0 {
				t.Errorf("envFrom ConfigMap %q is not in the manifests", ref.ConfigMapRef.Name)
				continue
			}
			cm = o.configMaps[i]
		case ref.SecretRef != nil:
			if ref.SecretRef.Name != "alexa-brief" {
				t.Errorf("envFrom Secret %q, want alexa-brief (the name in secret.example.yaml)", ref.SecretRef.Name)
			}
		}
	}
	if cm.Metadata.Name == "" {
		t.Error("no envFrom ConfigMap")
	}
	if v := cm.Data["ALEXA_BRIEF_SHUTDOWN_TIMEOUT"]; v != "" {
		var err error
		if drain, err = time.ParseDuration(v); err != nil {
			t.Errorf("ALEXA_BRIEF_SHUTDOWN_TIMEOUT %q: %v", v, err)
		}
	}
	preStop := 0
	if ps := c.Lifecycle.PreStop; ps != nil && ps.Sleep != nil {
		preStop = ps.Sleep.Seconds
	}
	grace := -1
	if g := pod.TerminationGracePeriodSeconds; g != nil {
		grace = *g
	}
	if grace < 30 || time.Duration(grace)*time.Second < time.Duration(preStop)*time.Second+drain+5*time.Second {
		t.Errorf("terminationGracePeriodSeconds %d, want ≥ 30 and ≥ preStop %ds + drain %s + 5s", grace, preStop, drain)
	}

	if len(o.services) != 1 {
		t.Fatalf("got %d Services, want 1", len(o.services))
	}
	s := o.services[0]
	if !subset(s.Spec.Selector, d.Spec.Template.Metadata.Labels) {
		t.Errorf("Service selector %v does not match the pod labels %v", s.Spec.Selector, d.Spec.Template.Metadata.Labels)
	}
	if len(s.Spec.Ports) != 1 || s.Spec.Ports[0].Port != 8080 || portOf(c, s.Spec.Ports[0].TargetPort) != 8080 {
		t.Errorf("Service ports %+v, want 8080 → container 8080", s.Spec.Ports)
	}

	var names []string
	for k := range cm.Data {
		names = append(names, k)
		if slices.Contains(secretEnv, k) || k == "DATABASE_URL" {
			t.Errorf("ConfigMap holds %s, which belongs in the Secret", k)
		}
	}
	for _, e := range c.Env {
		names = append(names, e.Name)
	}
	checkEnvNames(t, "kubernetes", names)
}

func loadManifests(t *testing.T, dir string) objects {
	t.Helper()
	var k kustomization
	decode(t, yamlDocs(t, dir+"/kustomization.yaml")[0], &k)
	var o objects
	for _, r := range k.Resources {
		p := path.Join(dir, r)
		if fi, err := os.Stat(filepath.Join(root, p)); err == nil && fi.IsDir() {
			sub := loadManifests(t, p)
			o.deployments = append(o.deployments, sub.deployments...)
			o.services = append(o.services, sub.services...)
			o.pdbs = append(o.pdbs, sub.pdbs...)
			o.configMaps = append(o.configMaps, sub.configMaps...)
			o.secrets = append(o.secrets, sub.secrets...)
			o.kinds = append(o.kinds, sub.kinds...)
			continue
		}
		for _, n := range yamlDocs(t, p) {
			o.add(t, n)
		}
	}
	return o
}

func TestKubernetesBase(t *testing.T) {
	o := loadManifests(t, "deploy/kubernetes")
	checkDeployment(t, o, 2)
	checkSharedStore(t, o.deployments[0])
	if len(o.pdbs) != 1 {
		t.Fatalf("got %d PodDisruptionBudgets, want 1", len(o.pdbs))
	}
	p, d := o.pdbs[0], o.deployments[0]
	if p.Spec.MinAvailable == nil || *p.Spec.MinAvailable != "1" {
		t.Errorf("PDB minAvailable %v, want 1", p.Spec.MinAvailable)
	}
	if !maps(p.Spec.Selector.MatchLabels, d.Spec.Selector.MatchLabels) {
		t.Errorf("PDB selector %v, want the Deployment's %v", p.Spec.Selector.MatchLabels, d.Spec.Selector.MatchLabels)
	}
	if len(o.secrets) != 0 {
		t.Error("the kustomization lists a Secret: re-applying would overwrite real credentials")
	}
}

// checkSharedStore: replicas must take DATABASE_URL from the Secret as a
// required key. Imported only through envFrom, a missing key would leave
// each pod on the image's default SQLite file: one store per pod, every
// digest posted once per pod.
func checkSharedStore(t *testing.T, d deployment) {
	t.Helper()
	c := d.Spec.Template.Spec.Containers[0]
	for _, e := range c.Env {
		if e.Name != "DATABASE_URL" {
			continue
		}
		if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Fatalf("DATABASE_URL %q is not from the Secret", e.Value)
		}
		ref := e.ValueFrom.SecretKeyRef
		if ref.Name != "alexa-brief" || ref.Key != "DATABASE_URL" || (ref.Optional != nil && *ref.Optional) {
			t.Errorf("DATABASE_URL from %+v, want the required key DATABASE_URL of Secret alexa-brief", *ref)
		}
		return
	}
	t.Error("no env DATABASE_URL: the replicas would not be forced onto one shared store")
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	return subset(a, b)
}

func TestKubernetesKustomizations(t *testing.T) {
	base := "deploy/kubernetes/base"
	var k kustomization
	decode(t, yamlDocs(t, base+"/kustomization.yaml")[0], &k)
	// Every manifest in base is listed; a file left out would never ship.
	files, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(base), "*.yaml"))
	for _, f := range files {
		name := filepath.Base(f)
		if name != "kustomization.yaml" && !slices.Contains(k.Resources, name) {
			t.Errorf("%s/kustomization.yaml does not list %s", base, name)
		}
	}
	if len(k.Images) != 1 || k.Images[0].Name != "alexa-brief" {
		t.Errorf("images %+v, want one entry rewriting the Deployment's image alexa-brief", k.Images)
	}
	for _, dir := range []string{"deploy/kubernetes", base, "deploy/kubernetes/sqlite"} {
		var k kustomization
		decode(t, yamlDocs(t, dir+"/kustomization.yaml")[0], &k)
		if k.Kind != "Kustomization" {
			t.Errorf("%s: kind %q", dir, k.Kind)
		}
		for _, r := range append(k.Resources, pathsOf(k)...) {
			if strings.Contains(r, "secret") {
				t.Errorf("%s lists %s: the Secret is created by hand", dir, r)
			}
			if _, err := os.Stat(filepath.Join(root, dir, r)); err != nil {
				t.Errorf("%s: %v", dir, err)
			}
		}
	}
}

func pathsOf(k kustomization) []string {
	var p []string
	for _, x := range k.Patches {
		if x.Path != "" {
			p = append(p, x.Path)
		}
	}
	return p
}

func TestKubernetesSecretTemplate(t *testing.T) {
	var o objects
	for _, n := range yamlDocs(t, "deploy/kubernetes/secret.example.yaml") {
		o.add(t, n)
	}
	if len(o.secrets) != 1 {
		t.Fatalf("got %d Secrets, want 1", len(o.secrets))
	}
	s := o.secrets[0]
	if s.Metadata.Name != "alexa-brief" || s.Type != "Opaque" {
		t.Errorf("Secret %q type %q, want alexa-brief, Opaque", s.Metadata.Name, s.Type)
	}
	if len(s.Data) != 0 {
		t.Error("the template uses data: (base64); placeholders belong in stringData:")
	}
	var names []string
	for k, v := range s.StringData {
		names = append(names, k)
		if v != "" && !strings.Contains(v, "REPLACE") {
			t.Errorf("%s=%q is not a placeholder (never commit a real value)", k, v)
		}
	}
	for _, want := range append([]string{"DATABASE_URL"}, secretEnv...) {
		if _, ok := s.StringData[want]; !ok {
			t.Errorf("the template lacks %s", want)
		}
	}
	checkEnvNames(t, "secret.example.yaml", names)
}

// TestKubernetesRendered renders both variants with the real kustomize
// (kubectl kustomize) when kubectl is installed, and checks the result.
func TestKubernetesRendered(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed; the manifests are checked unrendered above")
	}
	render := func(t *testing.T, dir string) objects {
		t.Helper()
		var stderr bytes.Buffer
		cmd := exec.Command(kubectl, "kustomize", filepath.Join(root, filepath.FromSlash(dir)))
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("kubectl kustomize %s: %v\n%s", dir, err, stderr.String())
		}
		var o objects
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var n yaml.Node
			if err := dec.Decode(&n); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			o.add(t, &n)
		}
		return o
	}
	t.Run("replicas", func(t *testing.T) {
		o := render(t, "deploy/kubernetes")
		checkDeployment(t, o, 2)
		checkSharedStore(t, o.deployments[0])
		slices.Sort(o.kinds)
		if want := []string{"ConfigMap", "Deployment", "PodDisruptionBudget", "Service"}; !slices.Equal(o.kinds, want) {
			t.Errorf("kinds %q, want %q", o.kinds, want)
		}
		if img := o.deployments[0].Spec.Template.Spec.Containers[0].Image; img == "alexa-brief" {
			t.Error("the images: rewrite did not apply")
		}
	})
	t.Run("sqlite", func(t *testing.T) {
		o := render(t, "deploy/kubernetes/sqlite")
		checkDeployment(t, o, 1)
		d := o.deployments[0]
		if len(o.pdbs) != 0 {
			t.Error("a PDB with minAvailable 1 on one replica blocks every node drain")
		}
		if got := d.Spec.Strategy.Type; got != "Recreate" {
			t.Errorf("strategy %q, want Recreate (one SQLite writer on a ReadWriteOnce volume)", got)
		}
		c := d.Spec.Template.Spec.Containers[0]
		var db string
		for _, e := range c.Env {
			if e.Name == "DATABASE_URL" {
				db = e.Value
				if e.ValueFrom != nil {
					t.Error("DATABASE_URL has both value and valueFrom: the patch must drop valueFrom")
				}
			}
		}
		onVolume := false
		for _, m := range c.VolumeMounts {
			if m.MountPath != "/tmp" && strings.HasPrefix(db, m.MountPath+"/") {
				for _, v := range d.Spec.Template.Spec.Volumes {
					onVolume = onVolume || (v.Name == m.Name && v.PersistentVolumeClaim != nil)
				}
			}
		}
		if !onVolume {
			t.Errorf("DATABASE_URL %q is not on a PersistentVolumeClaim mount", db)
		}
	})
}
