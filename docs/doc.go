// Package docs holds the pictures and pages the README links to, and the tests that keep what the
// code says about the README true.
package docs
