package org.cagate.server.driver;

import jakarta.servlet.MultipartConfigElement;
import org.cagate.server.audit.AuditActionLabel;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The servlet's multipart limits follow {@code cagate.drivers.max-size} (driver packages are the only
 * uploads), with a megabyte to spare for the form's other fields, so that a file just over the limit is
 * read whole and answered with the download centre's own 413 detail; anything larger is cut off by the
 * container (also 413). Parts above a megabyte go to a temporary file, never into memory. This bean
 * replaces Spring Boot's {@code spring.servlet.multipart.*} settings.
 */
@Configuration(proxyBeanMethods = false)
class DriverConfig {

    @Bean
    MultipartConfigElement multipartConfigElement(DriverProperties properties) {
        DataSize limit = DataSize.ofBytes(
                properties.maxSize().toBytes() + DataSize.ofMegabytes(1).toBytes());
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(limit);
        factory.setMaxRequestSize(limit);
        factory.setFileSizeThreshold(DataSize.ofMegabytes(1));
        return factory.createMultipartConfig();
    }

    @Bean
    static AuditActionLabel driverUploadedLabel() {
        return new AuditActionLabel(DriverPackageService.UPLOADED, "上传驱动");
    }

    @Bean
    static AuditActionLabel driverRetiredLabel() {
        return new AuditActionLabel(DriverPackageService.RETIRED, "停用驱动");
    }
}
