// The side-by-side peer of bench/metrics_bench.py: the exporter's per-phone series shape
// (genesys_phone_registered{phone_id,phone_name,site} per phone, plus the per-site counters)
// served by the official Go client, client_golang, as Debian packages it. Offline build:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS=-mod=vendor go build -o peer_golang .
//
// Usage: peer_golang -phones 50000 -sites 50 -port-file FILE [-gzip]
// GET /churn flips one phone's registration, so a "changed state" round is the same work as
// the exporter's (client_golang renders every scrape anyway).
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	phones := flag.Int("phones", 50000, "per-phone series to expose")
	sites := flag.Int("sites", 50, "sites the phones are spread over")
	listen := flag.String("listen", "127.0.0.1:0", "listen address")
	portFile := flag.String("port-file", "", "write the bound port here once listening")
	gz := flag.Bool("gzip", false, "compress when the client accepts gzip, as promhttp does by default")
	flag.Parse()
	if *phones < 0 || *phones > 10000000 || *sites < 1 || *sites > 100000 {
		log.Fatal("phones must be 0..10000000 and sites 1..100000")
	}

	reg := prometheus.NewRegistry()
	help := " Cached state, refreshed by polling (phones collector, default every 60s) or pushed."
	registered := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "genesys_phone_registered",
		Help: "1 when every line of the phone is reachable (registered) on its primary edge." + help},
		[]string{"phone_id", "phone_name", "site"})
	checks := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "genesys_phone_registration_checks_total",
		Help: "Observations of a phone's registration state, polled or pushed."}, []string{"site"})
	reg.MustRegister(registered, checks)

	type phone struct{ id, name, site string }
	all := make([]phone, *phones)
	for i := range all {
		s := i % *sites
		all[i] = phone{fmt.Sprintf("%08x-4a1e-4c7d-9b1f-%012x", i, i*7919),
			fmt.Sprintf("Site %02d Desk %05d", s, i), fmt.Sprintf("Site %02d", s)}
		registered.WithLabelValues(all[i].id, all[i].name, all[i].site).Set(float64((i + 1) % 2))
		checks.WithLabelValues(all[i].site).Inc()
	}

	var mu sync.Mutex
	next := 0
	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{DisableCompression: !*gz}))
	http.HandleFunc("/churn", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if len(all) > 0 {
			p := all[next%len(all)]
			registered.WithLabelValues(p.id, p.name, p.site).Set(float64(next % 2))
			checks.WithLabelValues(p.site).Inc()
			next++
		}
		fmt.Fprintln(w, "ok")
	})

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	if *portFile != "" {
		// Through a rename, as the exporter and genesys_sim do: a reader sees no file or all of it.
		port := ln.Addr().(*net.TCPAddr).Port
		if err := os.WriteFile(*portFile+".tmp", []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*portFile+".tmp", *portFile); err != nil {
			log.Fatal(err)
		}
	}
	log.Fatal(http.Serve(ln, nil))
}
