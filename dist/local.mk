# dist/: what an office installs besides the programs: systemd units (with
# the paths this build installs to), the wizyta user (sysusers.d) and its
# state directory (tmpfiles.d), an example configuration and an nginx
# front (REVERSE PROXY in wizyta-web(8)). debian/ packages all of it.
systemdsystemunit_DATA = dist/systemd/wizytad.service \
	dist/systemd/wizyta-web.service
CLEANFILES += $(systemdsystemunit_DATA)
dist_pkgdata_DATA = dist/wizyta.conf.example
nginxexampledir = $(pkgdatadir)/nginx
dist_nginxexample_DATA = dist/nginx/wizyta.conf
EXTRA_DIST += dist/systemd/wizytad.service.in \
	dist/systemd/wizyta-web.service.in dist/systemd/wizyta.sysusers \
	dist/systemd/wizyta.tmpfiles

dist/systemd/wizytad.service: $(top_srcdir)/dist/systemd/wizytad.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) dist/systemd && \
	sed -e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    $(top_srcdir)/dist/systemd/wizytad.service.in > $@
dist/systemd/wizyta-web.service: $(top_srcdir)/dist/systemd/wizyta-web.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) dist/systemd && \
	sed -e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    $(top_srcdir)/dist/systemd/wizyta-web.service.in > $@

# sysusers.d and tmpfiles.d take the package's name as the file's
install-data-local:
	$(MKDIR_P) $(DESTDIR)$(sysusersdir) $(DESTDIR)$(tmpfilesdir)
	$(INSTALL_DATA) $(top_srcdir)/dist/systemd/wizyta.sysusers \
	    $(DESTDIR)$(sysusersdir)/wizyta.conf
	$(INSTALL_DATA) $(top_srcdir)/dist/systemd/wizyta.tmpfiles \
	    $(DESTDIR)$(tmpfilesdir)/wizyta.conf
uninstall-local:
	rm -f $(DESTDIR)$(sysusersdir)/wizyta.conf $(DESTDIR)$(tmpfilesdir)/wizyta.conf
EXTRA_DIST += debian/changelog debian/control debian/copyright debian/rules \
	debian/postinst debian/postrm debian/source/format debian/wizyta.docs \
	dev/deb-check
